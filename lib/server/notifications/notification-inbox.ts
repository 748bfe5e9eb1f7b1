import "server-only";
import { isUuid } from "@/lib/domain/is-uuid";
import { ok, refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";

export const INBOX_PAGE_SIZE = 25;

export function unreadCount(userId: string): Promise<number> {
  return db().notification.count({ where: { userId, readAt: null } });
}

/** The person's notifications, newest first, by keyset on (createdAt, id). */
export async function listNotifications(userId: string, after?: string) {
  const [at, id] = after?.split("_") ?? [];
  const cursor = at && id && isUuid(id) && !Number.isNaN(Date.parse(at)) ? { createdAt: new Date(at), id } : null;
  const rows = await db().notification.findMany({
    where: { userId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: INBOX_PAGE_SIZE + 1,
    select: { id: true, kind: true, changeId: true, message: true, createdAt: true, readAt: true },
  });
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > INBOX_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

/** Marks one of the actor's own notifications read, or all of them; nobody marks another's. */
export async function markNotificationsRead(actor: Actor | null, input: { id?: string; all?: boolean }): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const now = new Date();
  if (input.all) {
    const { count } = await db().notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: now } });
    return ok({ message: count ? `${count} notification${count === 1 ? "" : "s"} marked read.` : "Nothing was unread." });
  }
  if (!input.id || !isUuid(input.id)) return refuse("Unknown notification.");
  const { count } = await db().notification.updateMany({ where: { id: input.id, userId: actor.id, readAt: null }, data: { readAt: now } });
  return count ? ok({ message: "Marked read." }) : refuse("That notification is already read or is not yours.");
}
