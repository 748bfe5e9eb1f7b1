import "server-only";
import { likeText } from "@/lib/domain/contains-pattern";
import type { ChangeFilters } from "@/lib/domain/change-list-params";
import type { ChangeViewer } from "@/lib/domain/change-visibility";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/domain/search-params";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import { visibleChangesWhere } from "../db/visible-changes";

export const CHANGES_PAGE_SIZE = 25;

/**
 * The changes the viewer may open, newest first, keyset-paginated on (created_at, id); `mine`: only
 * those they requested; `limit`: the page size (the API's, bounded by its parser).
 */
export async function listChanges(viewer: ChangeViewer, filters: ChangeFilters, scope: { mine?: boolean; limit?: number } = {}) {
  const size = scope.limit ?? CHANGES_PAGE_SIZE;
  const where: Prisma.ChangeRequestWhereInput = {
    ...(scope.mine ? { requesterId: viewer.id } : visibleChangesWhere(viewer)),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.risk ? { riskLevel: filters.risk } : {}),
    ...(filters.q ? { title: { contains: likeText(filters.q), mode: "insensitive" } } : {}),
  };
  const cursor = decodeTimeCursor(filters.after);
  // AND, not OR: the viewer's filter may be an OR of its own.
  if (cursor) where.AND = { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] };
  const rows = await db().changeRequest.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
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
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > size && last ? encodeTimeCursor(last.createdAt, last.id) : null };
}

export type ChangeRow = Awaited<ReturnType<typeof listChanges>>["rows"][number];
