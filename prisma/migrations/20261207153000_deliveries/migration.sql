-- Outbound messages (e-mail now; webhooks later) and who chose not to receive which mail.
-- A delivery is written in the same transaction as the notification it carries, with the job
-- that sends it (graphile_worker.add_job): a rolled-back step leaves neither.
CREATE TYPE "delivery_channel" AS ENUM ('email');
CREATE TYPE "delivery_status" AS ENUM ('pending', 'sending', 'retrying', 'sent', 'dead');

CREATE TABLE "deliveries" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "message_key" TEXT NOT NULL,
  "channel" "delivery_channel" NOT NULL,
  "kind" TEXT NOT NULL,
  "recipient_id" UUID,
  "target" TEXT NOT NULL,
  "change_id" UUID,
  "subject" TEXT NOT NULL,
  "body_text" TEXT NOT NULL,
  "body_html" TEXT NOT NULL,
  "status" "delivery_status" NOT NULL DEFAULT 'pending',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "max_attempts" INTEGER NOT NULL,
  "last_error" TEXT,
  "transport" TEXT,
  "next_attempt_at" TIMESTAMPTZ(3),
  "claimed_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "sent_at" TIMESTAMPTZ(3),
  "dead_at" TIMESTAMPTZ(3),
  CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "deliveries_attempts_bounded" CHECK ("attempts" >= 0 AND "max_attempts" >= 1),
  CONSTRAINT "deliveries_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "deliveries_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- The receiver deduplicates on this id (the mail's Message-ID); one delivery per message.
CREATE UNIQUE INDEX "deliveries_message_key_key" ON "deliveries" ("message_key");
CREATE INDEX "deliveries_status_created_at_idx" ON "deliveries" ("status", "created_at");
CREATE INDEX "deliveries_created_at_idx" ON "deliveries" ("created_at");

-- A row per (user, kind) the user turned off; no row means the mail is sent.
CREATE TABLE "mail_opt_outs" (
  "user_id" UUID NOT NULL,
  "kind" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "mail_opt_outs_pkey" PRIMARY KEY ("user_id", "kind"),
  CONSTRAINT "mail_opt_outs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
