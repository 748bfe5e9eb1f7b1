import "server-only";
import { Webhook } from "standardwebhooks";

/**
 * The Standard Webhooks headers of one attempt: the delivery's stable id, this attempt's time,
 * and a signature by every active secret (space-separated), so a receiver still holding the
 * previous secret during a rotation verifies as well as one already given the new one.
 */
export function webhookHeaders(messageId: string, at: Date, body: string, secrets: readonly string[]): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

/** The secrets that sign now: the current one, and the previous one until its rotation period ends. */
export function activeSecrets(
  subscription: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  at: Date,
): string[] {
  const previous =
    subscription.previousSecret && subscription.previousSecretExpiresAt && subscription.previousSecretExpiresAt > at
      ? [subscription.previousSecret]
      : [];
  return [subscription.secret, ...previous];
}
