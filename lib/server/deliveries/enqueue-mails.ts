import "server-only";
import { changeReference } from "@/lib/domain/change-visibility";
import { isActionNeeded } from "@/lib/domain/mail-kinds";
import { renderMail } from "@/lib/domain/mail-message";
import { NOTIFICATION_KINDS, type NotificationKind } from "@/lib/domain/notification-kinds";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import { addDeliveryJobs, TASKS } from "../jobs/add-jobs";

export type NotificationToMail = { id: string; userId: string; kind: string; changeId: string | null; message: string };

/** The id a receiver deduplicates on: one mail per notification, whichever worker sends it, however often. */
export function mailMessageKey(notificationId: string): string {
  return `mail.${notificationId}`;
}

/**
 * The mails that carry these notifications, with their jobs, in the caller's transaction (the
 * step's, with its audit event): a rolled-back step sends nothing. People who turned a kind off
 * get none of it, unless it asks them to act; deactivated users and service accounts get none.
 */
export async function enqueueMails(tx: Tx, notifications: readonly NotificationToMail[]): Promise<number> {
  const mailable = notifications.filter((n): n is NotificationToMail & { kind: NotificationKind } =>
    (NOTIFICATION_KINDS as readonly string[]).includes(n.kind),
  );
  if (mailable.length === 0) return 0;
  const userIds = [...new Set(mailable.map((n) => n.userId))];
  const changeIds = [...new Set(mailable.flatMap((n) => (n.changeId ? [n.changeId] : [])))];
  const [users, changes] = await Promise.all([
    tx.user.findMany({
      where: { id: { in: userIds }, active: true, kind: "user" },
      select: { id: true, email: true, name: true, mailOptOuts: { select: { kind: true } } },
    }),
    changeIds.length ? tx.changeRequest.findMany({ where: { id: { in: changeIds } }, select: { id: true, number: true } }) : [],
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  const numbers = new Map(changes.map((c) => [c.id, c.number]));
  const { NEXTAUTH_URL, DELIVERY_MAX_ATTEMPTS } = env();
  const rows = mailable.flatMap((n) => {
    const user = byId.get(n.userId);
    if (!user) return [];
    if (!isActionNeeded(n.kind) && user.mailOptOuts.some((o) => o.kind === n.kind)) return [];
    const number = n.changeId ? numbers.get(n.changeId) : undefined;
    const mail = renderMail({
      kind: n.kind,
      message: n.message,
      recipientName: user.name,
      changeRef: number === undefined ? null : changeReference(number),
      changeId: n.changeId,
      portalUrl: NEXTAUTH_URL,
    });
    return [
      {
        messageKey: mailMessageKey(n.id),
        channel: "email" as const,
        kind: n.kind,
        recipientId: user.id,
        target: user.email,
        changeId: n.changeId,
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
        maxAttempts: DELIVERY_MAX_ATTEMPTS,
      },
    ];
  });
  if (rows.length === 0) return 0;
  const created = await tx.delivery.createManyAndReturn({ data: rows, select: { id: true } });
  await addDeliveryJobs(
    tx,
    TASKS.deliverMail,
    created.map((d) => d.id),
  );
  return created.length;
}
