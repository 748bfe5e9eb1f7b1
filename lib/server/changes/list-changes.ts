import "server-only";
import type { ChangeFilters } from "@/lib/domain/change-list-params";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/db";

export const CHANGES_PAGE_SIZE = 25;

/** Newest first, keyset-paginated on (created_at, id); `requesterId` narrows to one requester's changes. */
export async function listChanges(filters: ChangeFilters, scope: { requesterId?: string } = {}) {
  const where: Prisma.ChangeRequestWhereInput = {
    ...(scope.requesterId ? { requesterId: scope.requesterId } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.risk ? { riskLevel: filters.risk } : {}),
    ...(filters.q ? { title: { contains: filters.q, mode: "insensitive" } } : {}),
  };
  const cursor = decodeTimeCursor(filters.after);
  if (cursor) where.OR = [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }];
  const rows = await db().changeRequest.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CHANGES_PAGE_SIZE + 1,
    select: {
      id: true,
      number: true,
      title: true,
      type: true,
      state: true,
      riskLevel: true,
      riskScore: true,
      plannedStart: true,
      createdAt: true,
      requester: { select: { name: true } },
    },
  });
  const page = rows.slice(0, CHANGES_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > CHANGES_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

export type ChangeRow = Awaited<ReturnType<typeof listChanges>>["rows"][number];
