import "server-only";
import { z } from "zod";
import { isUuid } from "@/lib/domain/is-uuid";
import { safeParseInput } from "@/lib/domain/parse-input";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { ok, refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";

export const INBOX_PAGE_SIZE = 25;

/** Unread and still current: a withdrawn notification (its round closed) no longer asks for anything. */
export function unreadCount(userId: string): Promise<number> {
  return db().notification.count({ where: { userId, readAt: null, withdrawnAt: null } });
}

/** The person's notifications, newest first, by keyset on (createdAt, id). */
export async function listNotifications(userId: string, after?: string) {
  const cursor = decodeTimeCursor(after);
  const rows = await db().notification.findMany({
    where: { userId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: INBOX_PAGE_SIZE + 1,
    select: { id: true, kind: true, changeId: true, message: true, createdAt: true, readAt: true, withdrawnAt: true },
  });
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > INBOX_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

const markReadSchema = z.object({ id: z.string().max(100).optional(), all: z.boolean().optional() });

/** Marks one of the actor's own notifications read, or all of them; nobody marks another's. */
export async function markNotificationsRead(actor: Actor | null, raw: unknown): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(markReadSchema, raw);
  if (!parsed.success) return refuse("Unknown notification.");
  const input = parsed.data;
  const now = new Date();
  if (input.all) {
    const { count } = await db().notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: now } });
    return ok({ message: count ? `${count} notification${count === 1 ? "" : "s"} marked read.` : "Nothing was unread." });
  }
  if (!input.id || !isUuid(input.id)) return refuse("Unknown notification.");
  const { count } = await db().notification.updateMany({ where: { id: input.id, userId: actor.id, readAt: null }, data: { readAt: now } });
  return count ? ok({ message: "Marked read." }) : refuse("That notification is already read or is not yours.");
}
