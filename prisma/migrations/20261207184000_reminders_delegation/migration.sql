-- Reminders, escalation and delegation (issue 33 item 3) and the CAB digest.

-- A vote cast by a delegate records whose vote it is; it counts as the delegator's, once per round.
ALTER TABLE "votes" ADD COLUMN "on_behalf_of_id" UUID;
ALTER TABLE "votes" ADD CONSTRAINT "votes_on_behalf_of_id_fkey" FOREIGN KEY ("on_behalf_of_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "votes" ADD CONSTRAINT "votes_not_on_own_behalf" CHECK ("on_behalf_of_id" IS NULL OR "on_behalf_of_id" <> "voter_id");
-- Two delegates of one person cannot both vote for them in one round (NULLs, own votes, are distinct).
CREATE UNIQUE INDEX "votes_round_id_on_behalf_of_id_key" ON "votes" ("round_id", "on_behalf_of_id");

-- When the change entered authorization and votes were asked for: the reminders' clock starts here.
ALTER TABLE "approval_rounds" ADD COLUMN "votes_requested_at" TIMESTAMPTZ(3);

-- A notification that asked for something no longer needed (the round closed) is withdrawn, not deleted.
ALTER TABLE "notifications" ADD COLUMN "withdrawn_at" TIMESTAMPTZ(3);

-- A CAB member or security reviewer names a delegate for a period; ending it early keeps the row.
CREATE TABLE "delegations" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "delegator_id" UUID NOT NULL,
  "delegate_id" UUID NOT NULL,
  "starts_at" TIMESTAMPTZ(3) NOT NULL,
  "ends_at" TIMESTAMPTZ(3) NOT NULL,
  "reason" TEXT NOT NULL DEFAULT '',
  "created_by_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "ended_at" TIMESTAMPTZ(3),
  "ended_by_id" UUID,
  CONSTRAINT "delegations_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "delegations_period" CHECK ("ends_at" > "starts_at"),
  CONSTRAINT "delegations_not_self" CHECK ("delegate_id" <> "delegator_id"),
  CONSTRAINT "delegations_delegator_id_fkey" FOREIGN KEY ("delegator_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "delegations_delegate_id_fkey" FOREIGN KEY ("delegate_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "delegations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "delegations_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "delegations_delegate_id_ends_at_idx" ON "delegations" ("delegate_id", "ends_at");
CREATE INDEX "delegations_delegator_id_ends_at_idx" ON "delegations" ("delegator_id", "ends_at");

-- Each reminder, escalation and CAB digest is sent once: its key is claimed in the transaction that sends it.
CREATE TABLE "reminder_steps" (
  "key" TEXT NOT NULL,
  "step" TEXT NOT NULL,
  "change_id" UUID,
  "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "reminder_steps_pkey" PRIMARY KEY ("key"),
  CONSTRAINT "reminder_steps_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "reminder_steps_change_id_idx" ON "reminder_steps" ("change_id");
