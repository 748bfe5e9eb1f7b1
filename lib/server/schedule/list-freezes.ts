import "server-only";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { db } from "../db/db";

export const FREEZE_PAGE_SIZE = 20;

/** Freeze windows that have not ended (or all, with `past`), soonest first, by keyset on (startsAt, id). */
export async function listFreezes(options: { past?: boolean; after?: string }) {
  const cursor = decodeTimeCursor(options.after);
  const rows = await db().freezeWindow.findMany({
    where: {
      ...(options.past ? {} : { endsAt: { gt: new Date() } }),
      ...(cursor ? { OR: [{ startsAt: { gt: cursor.at } }, { startsAt: cursor.at, id: { gt: cursor.id } }] } : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: FREEZE_PAGE_SIZE + 1,
    include: { createdBy: { select: { name: true } } },
  });
  const page = rows.slice(0, FREEZE_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > FREEZE_PAGE_SIZE && last ? `${last.startsAt.toISOString()}_${last.id}` : null };
}

export function getFreeze(id: string) {
  return db().freezeWindow.findUnique({ where: { id }, include: { createdBy: { select: { name: true } } } });
}
