-- Webhook subscriptions. Their messages are deliveries like mails (channel 'webhook'), so one
-- queue task model, one admin page with retry, one rescue of stale claims, one backoff serve both.
-- The signing secret must be read back to sign (HMAC), so it is stored; during a rotation the
-- previous one signs too until previous_secret_expires_at.
ALTER TYPE "delivery_channel" ADD VALUE 'webhook';

CREATE TABLE "webhook_subscriptions" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "name" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  "event_types" TEXT[] NOT NULL,
  "format" TEXT NOT NULL DEFAULT 'standard',
  "active" BOOLEAN NOT NULL DEFAULT true,
  "secret" TEXT NOT NULL,
  "previous_secret" TEXT,
  "previous_secret_expires_at" TIMESTAMPTZ(3),
  "created_by_id" UUID,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "webhook_subscriptions_format" CHECK ("format" IN ('standard', 'slack', 'teams')),
  CONSTRAINT "webhook_subscriptions_has_event" CHECK (cardinality("event_types") >= 1),
  CONSTRAINT "webhook_subscriptions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- A delivery's subscription: its log on the subscription's page; deleting the subscription drops its log (the audit log keeps the history).
ALTER TABLE "deliveries" ADD COLUMN "subscription_id" UUID;
ALTER TABLE "deliveries" ADD COLUMN "response_status" INTEGER;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions" ("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "deliveries_subscription_id_created_at_idx" ON "deliveries" ("subscription_id", "created_at");
