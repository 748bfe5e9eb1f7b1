import "server-only";
import { parseAllowedRanges } from "@/lib/domain/outbound-address";
import { db } from "../db/db";
import { claim, recordFailure, type DeliveryOutcome } from "../deliveries/deliver-mail";
import { env } from "../env";
import { TASKS } from "../jobs/add-jobs";
import { postWebhook, RefusedDestination, type PostLimits } from "./post-webhook";
import { activeSecrets, webhookHeaders } from "./sign-webhook";

/** The most of a receiver's answer the worker reads (the status is what counts). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export function webhookLimits(): PostLimits {
  const e = env();
  return {
    allowed: parseAllowedRanges(e.WEBHOOK_ALLOWED_PRIVATE_RANGES),
    connectTimeoutMs: e.WEBHOOK_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: e.WEBHOOK_RESPONSE_TIMEOUT_MS,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  };
}

/**
 * The queue's deliver_webhook task, like deliver_mail: claim the delivery, POST it signed with
 * the subscription's active secrets (a fresh timestamp each attempt, the same webhook-id), record
 * the outcome; a failure is retried with backoff and jitter, and is dead after the last attempt.
 */
export async function deliverWebhook(deliveryId: string, now: () => Date = () => new Date()): Promise<DeliveryOutcome> {
  const claimed = await claim(deliveryId);
  if (!claimed) return "skipped";
  const delivery = await db().delivery.findUnique({
    where: { id: claimed.id },
    select: { subscription: { select: { url: true, active: true, secret: true, previousSecret: true, previousSecretExpiresAt: true } } },
  });
  const subscription = delivery?.subscription;
  if (!subscription || !subscription.active) {
    await db().delivery.update({
      where: { id: claimed.id },
      data: { status: "dead", deadAt: now(), lastError: "The subscription is turned off.", claimedAt: null, nextAttemptAt: null },
    });
    return "dead";
  }
  const at = now();
  const headers = {
    ...webhookHeaders(claimed.messageKey, at, claimed.bodyText, activeSecrets(subscription, at)),
    "content-type": "application/json",
    "user-agent": "change-portal-webhooks",
  };
  let status: number;
  try {
    status = (await postWebhook(subscription.url, headers, claimed.bodyText, webhookLimits())).status;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = /^HTTP (\d{3})/.exec(message);
    const text = `${error instanceof RefusedDestination ? "Refused: " : ""}${message}`.slice(0, 500);
    return recordFailure(claimed, text, now(), TASKS.deliverWebhook, code ? Number(code[1]) : null);
  }
  await db().delivery.update({
    where: { id: claimed.id },
    data: {
      status: "sent",
      sentAt: now(),
      transport: "http",
      target: subscription.url,
      responseStatus: status,
      lastError: null,
      nextAttemptAt: null,
      claimedAt: null,
    },
  });
  return "sent";
}
