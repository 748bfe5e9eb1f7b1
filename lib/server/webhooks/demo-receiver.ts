import "server-only";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";
import { env } from "../env";
import { isDemoDataLoaded } from "../settings/demo-data";

// The demo's webhook receiver: a subscription of the demo points at the portal itself, and this
// receiver checks each request as any outside receiver would, with the standardwebhooks library
// and the subscription's secret, and keeps what verified, so a newcomer sees a webhook at work.
// Only when `npm start` in demo mode turned it on (DEMO_WEBHOOK_RECEIVER=on, never in production
// mode) and the demo data is loaded; anywhere else the route answers 404, as if it did not exist.

/** The most of a request body the receiver keeps (the portal's own messages are far smaller). */
const MAX_BODY_CHARS = 256 * 1024;

export async function demoReceiverEnabled(): Promise<boolean> {
  return env().DEMO_WEBHOOK_RECEIVER === "on" && (await isDemoDataLoaded());
}

export type Receipt = { status: number; message: string };

/** Verifies one request to the demo receiver of this subscription and keeps it once per webhook-id. */
export async function receiveDemoWebhook(subscriptionId: string, headers: Headers, body: string): Promise<Receipt> {
  if (!(await demoReceiverEnabled())) return { status: 404, message: "Not found." };
  if (!/^[0-9a-f-]{36}$/i.test(subscriptionId)) return { status: 404, message: "No such subscription." };
  const subscription = await db().webhookSubscription.findUnique({ where: { id: subscriptionId }, select: { secret: true } });
  if (!subscription) return { status: 404, message: "No such subscription." };
  if (body.length > MAX_BODY_CHARS) return { status: 413, message: "Too large." };
  const signed = {
    "webhook-id": headers.get("webhook-id") ?? "",
    "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
    "webhook-signature": headers.get("webhook-signature") ?? "",
  };
  try {
    new Webhook(subscription.secret).verify(body, signed);
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { status: 401, message: `Not verified: ${error.message}` };
    throw error;
  }
  const webhookId = signed["webhook-id"];
  await db().$executeRaw`
    INSERT INTO demo_webhook_receipts (subscription_id, webhook_id, event_type, body)
    VALUES (${subscriptionId}::uuid, ${webhookId}, ${eventTypeOf(body)}, ${body})
    ON CONFLICT (subscription_id, webhook_id)
    DO UPDATE SET times_received = demo_webhook_receipts.times_received + 1, last_received_at = now()`;
  return { status: 204, message: "" };
}

/** The Standard Webhooks payload's `type`; a signed checkpoint has none, and is named by its fields. */
function eventTypeOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object") {
      if ("type" in parsed && typeof parsed.type === "string") return parsed.type.slice(0, 100);
      if ("signature" in parsed && "seq" in parsed) return "audit.checkpoint";
    }
  } catch {
    // Not JSON: kept without a type.
  }
  return null;
}

const INBOX_SIZE = 100;

/** What the demo receiver kept, newest first, with the subscription it came for (admins only). */
export async function listDemoReceipts(viewer: Actor) {
  await refuseReadUnlessCan(viewer, "users.manage");
  return db().demoWebhookReceipt.findMany({
    orderBy: [{ firstReceivedAt: "desc" }, { id: "desc" }],
    take: INBOX_SIZE,
    select: {
      id: true,
      webhookId: true,
      eventType: true,
      body: true,
      timesReceived: true,
      firstReceivedAt: true,
      lastReceivedAt: true,
      subscription: { select: { id: true, name: true } },
    },
  });
}
