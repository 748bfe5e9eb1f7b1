-- What the demo's own webhook receiver (lib/server/webhooks/demo-receiver.ts) took in: only
-- requests whose Standard Webhooks signature verified, one row per webhook-id (the receiver
-- deduplicates on it, as any receiver of an at-least-once stream must), with how often it came.
CREATE TABLE "demo_webhook_receipts" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "subscription_id" UUID NOT NULL,
  "webhook_id" TEXT NOT NULL,
  "event_type" TEXT,
  "body" TEXT NOT NULL,
  "times_received" INTEGER NOT NULL DEFAULT 1,
  "first_received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "demo_webhook_receipts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "demo_webhook_receipts_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "demo_webhook_receipts_subscription_id_webhook_id_key" ON "demo_webhook_receipts" ("subscription_id", "webhook_id");
CREATE INDEX "demo_webhook_receipts_first_received_at_idx" ON "demo_webhook_receipts" ("first_received_at");
