import "server-only";
import { retryDelayMs } from "@/lib/domain/retry-backoff";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import { addDeliveryJobs, TASKS, type TaskName } from "../jobs/add-jobs";
import { describeFailure, mailTransport } from "./mail-transport";

/** A claim older than this is a worker that died mid-send: the delivery may be tried again (at least once). */
export const STALE_CLAIM_MINUTES = 10;

export type Claimed = {
  id: string;
  messageKey: string;
  target: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  attempts: number;
  maxAttempts: number;
};

export type DeliveryOutcome = "sent" | "retrying" | "dead" | "skipped";

/**
 * The queue's deliver_mail task: claim the delivery (one worker at a time, whatever the queue
 * does), send it, record the outcome. A failure is retried after an exponential, jittered delay
 * by a new job; after the last attempt the delivery is dead, kept and shown for an admin to retry.
 */
export async function deliverMail(deliveryId: string, now: () => Date = () => new Date()): Promise<DeliveryOutcome> {
  const claimed = await claim(deliveryId);
  if (!claimed) return "skipped";
  const transport = mailTransport();
  try {
    await transport.send({
      messageId: `<${claimed.messageKey}@${new URL(env().NEXTAUTH_URL).hostname}>`,
      from: env().MAIL_FROM,
      to: claimed.target,
      subject: claimed.subject,
      text: claimed.bodyText,
      html: claimed.bodyHtml,
    });
  } catch (error) {
    return recordFailure(claimed, describeFailure(error), now());
  }
  await db().delivery.update({
    where: { id: claimed.id },
    data: { status: "sent", sentAt: now(), transport: transport.name, lastError: null, nextAttemptAt: null, claimedAt: null },
  });
  return "sent";
}

/** Takes the delivery for this attempt, counting it, unless it is sent, dead, or another worker holds a fresh claim. */
export async function claim(deliveryId: string): Promise<Claimed | null> {
  const rows = await db().$queryRaw<Claimed[]>`
    UPDATE deliveries SET status = 'sending', claimed_at = now(), attempts = attempts + 1
     WHERE id = ${deliveryId}::uuid
       AND (status IN ('pending', 'retrying') OR (status = 'sending' AND claimed_at < now() - make_interval(mins => ${STALE_CLAIM_MINUTES})))
    RETURNING id, message_key AS "messageKey", target, subject, body_text AS "bodyText", body_html AS "bodyHtml", attempts, max_attempts AS "maxAttempts"`;
  return rows[0] ?? null;
}

export async function recordFailure(
  claimed: Claimed,
  error: string,
  at: Date,
  task: TaskName = TASKS.deliverMail,
  responseStatus?: number | null,
): Promise<DeliveryOutcome> {
  if (claimed.attempts >= claimed.maxAttempts) {
    await db().delivery.update({
      where: { id: claimed.id },
      data: { status: "dead", deadAt: at, lastError: error, nextAttemptAt: null, claimedAt: null, responseStatus },
    });
    return "dead";
  }
  const { DELIVERY_BACKOFF_BASE_MS, DELIVERY_BACKOFF_MAX_MS } = env();
  const next = new Date(
    at.getTime() + retryDelayMs(claimed.attempts, { baseMs: DELIVERY_BACKOFF_BASE_MS, maxMs: DELIVERY_BACKOFF_MAX_MS }),
  );
  // The outcome and the next attempt's job commit together: a failure is never left without its retry.
  await inTransaction(async (tx) => {
    await tx.delivery.update({
      where: { id: claimed.id },
      data: { status: "retrying", lastError: error, nextAttemptAt: next, claimedAt: null, responseStatus },
    });
    await addDeliveryJobs(tx, task, [claimed.id], next);
  });
  return "retrying";
}
