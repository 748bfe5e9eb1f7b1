// The demo's webhook subscriptions: a SIEM taking the audit stream and its checkpoints, paused,
// because its URL is an example; and, when `npm start` runs the demo receiver, one that sends the
// change events to the portal's own receiver (lib/server/webhooks/demo-receiver.ts), which
// verifies each signature and shows what arrived at /admin/webhooks/inbox.
import { randomUUID } from "node:crypto";
import { demoReceiverUrl } from "../../lib/domain/demo-receiver-path";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../lib/domain/webhook-events";
import { newWebhookSecret } from "../../lib/domain/webhook-subscription";
import type { Tx } from "../../lib/server/db/transaction";

export const DEMO_WEBHOOK = { name: "SIEM (example, paused)", url: "https://siem.example.com/hooks/change-portal" } as const;
export const DEMO_RECEIVER_WEBHOOK_NAME = "Demo receiver (in this portal)";

// Every event but the audit stream, which would repeat each audit entry.
const DEMO_RECEIVER_EVENTS: WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter((t) => t !== "audit.event");

/** `receiverBase`: the portal's address as the worker reaches it, when the demo receiver runs. */
export async function seedDemoWebhook(tx: Tx, createdById: string, receiverBase?: string): Promise<void> {
  await tx.webhookSubscription.create({
    data: {
      ...DEMO_WEBHOOK,
      eventTypes: ["audit.event", "audit.checkpoint"],
      format: "standard",
      active: false,
      secret: newWebhookSecret(),
      createdById,
    },
  });
  if (!receiverBase) return;
  const id = randomUUID();
  await tx.webhookSubscription.create({
    data: {
      id,
      name: DEMO_RECEIVER_WEBHOOK_NAME,
      url: demoReceiverUrl(receiverBase, id),
      eventTypes: DEMO_RECEIVER_EVENTS,
      format: "standard",
      active: true,
      secret: newWebhookSecret(),
      createdById,
    },
  });
}
