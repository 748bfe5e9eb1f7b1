import "server-only";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { isUuid } from "@/lib/domain/is-uuid";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

export const FREEZE_PAGE_SIZE = 20;

/** Freeze windows that have not ended (or all, with `past`), soonest first, by keyset on (startsAt, id); config managers only (403). */
export async function listFreezes(viewer: Actor, options: { past?: boolean; after?: string }) {
  await refuseReadUnlessCan(viewer, "config.manage");
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

/** One freeze window; null when there is none; config managers only (403). */
export async function getFreeze(viewer: Actor, id: string) {
  await refuseReadUnlessCan(viewer, "config.manage");
  if (!isUuid(id)) return null;
  return db().freezeWindow.findUnique({ where: { id }, include: { createdBy: { select: { name: true } } } });
}
