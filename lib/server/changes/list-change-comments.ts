import "server-only";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import type { ChangeViewer } from "@/lib/domain/change-visibility";
import { db } from "../db/db";
import { visibleChangesWhere } from "../db/visible-changes";

export const COMMENTS_PAGE_SIZE = 20;

export type ChangeComment = { id: string; body: string; createdAt: Date; author: { name: string } };

/**
 * One page of a change's comments, the latest before `before` (keyset on (created_at, id), served
 * by the (change_id, created_at) index), oldest first, and the cursor of the page before it;
 * none on a change the viewer may not open.
 */
export async function listChangeComments(
  viewer: ChangeViewer,
  changeId: string,
  before?: string,
): Promise<{ comments: ChangeComment[]; earlierBefore: string | null }> {
  // The cursor of an earlier page: the first shown comment's time and id.
  const cursor = decodeTimeCursor(before);
  const visible = visibleChangesWhere(viewer);
  const rows = await db().comment.findMany({
    where: {
      changeId,
      // Only for someone who does not see every change, so the usual page's statement stays as it was.
      ...(Object.keys(visible).length ? { change: visible } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: COMMENTS_PAGE_SIZE + 1,
    select: { id: true, body: true, createdAt: true, author: { select: { name: true } } },
  });
  const more = rows.length > COMMENTS_PAGE_SIZE;
  const comments = rows.slice(0, COMMENTS_PAGE_SIZE).reverse();
  return { comments, earlierBefore: more ? `${comments[0]!.createdAt.toISOString()}_${comments[0]!.id}` : null };
}
