import "server-only";
import type { Role } from "@/lib/domain/roles";
import type { Actor } from "./current-actor";
import { refuseReadUnlessCan } from "./viewer-read";
import { db } from "../db/db";

export type SsoUserRow = {
  id: string;
  name: string;
  email: string;
  active: boolean;
  subject: string;
  ssoSignedInAt: Date | null;
  roles: Role[];
};

const LIMIT = 200;

/** The users who came from SSO, most recent sign-in first; admins only (403). */
export async function listSsoUsers(viewer: Actor): Promise<{ rows: SsoUserRow[]; more: boolean }> {
  await refuseReadUnlessCan(viewer, "users.manage");
  const users = await db().user.findMany({
    where: { oidcSubject: { not: null } },
    orderBy: [{ ssoSignedInAt: { sort: "desc", nulls: "last" } }, { email: "asc" }],
    take: LIMIT + 1,
    select: { id: true, name: true, email: true, active: true, oidcSubject: true, ssoSignedInAt: true, roles: { select: { role: true } } },
  });
  return {
    rows: users.slice(0, LIMIT).map(({ oidcSubject, roles, ...u }) => ({ ...u, subject: oidcSubject!, roles: roles.map((r) => r.role) })),
    more: users.length > LIMIT,
  };
}
