import "server-only";
import { MAILBOX_RETENTION_DAYS } from "@/lib/domain/dev-mailbox";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";
import type { DeliveryStatus } from "../db/generated/enums";

export const DELIVERY_STATUSES = ["pending", "sending", "retrying", "sent", "dead"] as const satisfies readonly DeliveryStatus[];
const PAGE_SIZE = 100;

/** Deliveries newest first, optionally of one status, with the count per status (admins only). */
export async function listDeliveries(viewer: Actor, status?: DeliveryStatus) {
  await refuseReadUnlessCan(viewer, "users.manage");
  const [rows, counts] = await Promise.all([
    db().delivery.findMany({
      where: status ? { status } : {},
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE,
      select: {
        id: true,
        messageKey: true,
        kind: true,
        target: true,
        subject: true,
        status: true,
        attempts: true,
        maxAttempts: true,
        lastError: true,
        transport: true,
        nextAttemptAt: true,
        createdAt: true,
        sentAt: true,
        deadAt: true,
        changeId: true,
      },
    }),
    db().delivery.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const byStatus = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])) as Record<
    DeliveryStatus,
    number
  >;
  return { rows, byStatus };
}

export const MAILBOX_PAGE_SIZE = 50;

// Mailbox mails are sent the moment they are queued, so the queue time orders them as they
// arrived, and the index on created_at serves each page.
const IN_MAILBOX = { channel: "email", transport: "mailbox", status: "sent" } as const;

/** The dev mailbox: mails that went nowhere because no SMTP server is configured, newest first by keyset on (createdAt, id) (admins only). */
export async function listMailbox(viewer: Actor, options: { after?: string } = {}) {
  await refuseReadUnlessCan(viewer, "users.manage");
  const cursor = decodeTimeCursor(options.after);
  const rows = await db().delivery.findMany({
    where: {
      ...IN_MAILBOX,
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAILBOX_PAGE_SIZE + 1,
    select: {
      id: true,
      messageKey: true,
      kind: true,
      target: true,
      subject: true,
      bodyText: true,
      bodyHtml: true,
      createdAt: true,
      sentAt: true,
      changeId: true,
    },
  });
  const page = rows.slice(0, MAILBOX_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > MAILBOX_PAGE_SIZE && last ? encodeTimeCursor(last.createdAt, last.id) : null };
}

/** Deletes dev-mailbox mails queued more than the retention ago; the nightly prune runs it. */
export async function pruneMailbox(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - MAILBOX_RETENTION_DAYS * 86_400_000);
  const { count } = await db().delivery.deleteMany({ where: { ...IN_MAILBOX, createdAt: { lt: before } } });
  return count;
}
