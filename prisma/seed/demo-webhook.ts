// The demo's webhook subscription: a SIEM taking the audit stream and its checkpoints, paused,
// because the demo has no receiver to send to (its URL is an example). A newcomer sees the page
// with one subscription, and turns it on after pointing it at a receiver of their own.
import { newWebhookSecret } from "../../lib/domain/webhook-subscription";
import type { Tx } from "../../lib/server/db/transaction";

export const DEMO_WEBHOOK = { name: "SIEM (example, paused)", url: "https://siem.example.com/hooks/change-portal" } as const;

export async function seedDemoWebhook(tx: Tx, createdById: string): Promise<void> {
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
}
