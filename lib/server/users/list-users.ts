import "server-only";
import { likeText } from "@/lib/domain/contains-pattern";
import { isUuid } from "@/lib/domain/is-uuid";
import type { Role } from "@/lib/domain/roles";
import { cleanText } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

export const USERS_PAGE_SIZE = 25;

export type UserRow = { id: string; name: string; email: string; active: boolean; mustChangePassword: boolean; roles: Role[] };

/** One page of users ordered by email, after the `after` email (keyset pagination), optionally filtered; admins only (403). */
export async function listUsers(
  viewer: Actor,
  options: { query?: string; after?: string },
): Promise<{ rows: UserRow[]; nextCursor: string | null }> {
  await refuseReadUnlessCan(viewer, "users.manage");
  const q = options.query ? cleanText(options.query) : undefined;
  const users = await db().user.findMany({
    where: {
      kind: "user",
      ...(options.after ? { email: { gt: options.after } } : {}),
      ...(q
        ? { OR: [{ email: { contains: likeText(q), mode: "insensitive" } }, { name: { contains: likeText(q), mode: "insensitive" } }] }
        : {}),
    },
    orderBy: { email: "asc" },
    take: USERS_PAGE_SIZE + 1,
    select: {
      id: true,
      name: true,
      email: true,
      active: true,
      mustChangePassword: true,
      roles: { select: { role: true }, orderBy: { role: "asc" } },
    },
  });
  const page = users.slice(0, USERS_PAGE_SIZE);
  return {
    rows: page.map((u) => ({ ...u, roles: u.roles.map((r) => r.role) })),
    nextCursor: users.length > USERS_PAGE_SIZE ? (page.at(-1)?.email ?? null) : null,
  };
}

/** One user for the admin's page; null when there is none; admins only (403). */
export async function getUser(viewer: Actor, id: string): Promise<(UserRow & { createdAt: Date }) | null> {
  await refuseReadUnlessCan(viewer, "users.manage");
  if (!isUuid(id)) return null;
  const user = await db().user.findFirst({
    where: { id, kind: "user" },
    select: {
      id: true,
      name: true,
      email: true,
      active: true,
      mustChangePassword: true,
      createdAt: true,
      roles: { select: { role: true } },
    },
  });
  return user ? { ...user, roles: user.roles.map((r) => r.role) } : null;
}
