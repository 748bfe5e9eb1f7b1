import "server-only";
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

/** The dev mailbox: mails that went nowhere because no SMTP server is configured, newest first (admins only). */
export async function listMailbox(viewer: Actor) {
  await refuseReadUnlessCan(viewer, "users.manage");
  return db().delivery.findMany({
    where: { channel: "email", transport: "mailbox", status: "sent" },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    take: PAGE_SIZE,
    select: {
      id: true,
      messageKey: true,
      kind: true,
      target: true,
      subject: true,
      bodyText: true,
      bodyHtml: true,
      sentAt: true,
      changeId: true,
    },
  });
}
