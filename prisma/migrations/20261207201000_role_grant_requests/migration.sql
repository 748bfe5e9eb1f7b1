-- Privileged roles granted by two people (issue 34 item 5): an admin asks, a second admin decides.
CREATE TYPE "role_grant_status" AS ENUM ('pending', 'approved', 'refused', 'withdrawn', 'expired');

CREATE TABLE "role_grant_requests" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "role" "role" NOT NULL,
  "reason" TEXT NOT NULL,
  "requested_by_id" UUID NOT NULL,
  "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "status" "role_grant_status" NOT NULL DEFAULT 'pending',
  "decided_by_id" UUID,
  "decided_at" TIMESTAMPTZ(3),
  "decision_reason" TEXT,
  CONSTRAINT "role_grant_requests_pkey" PRIMARY KEY ("id"),
  -- Nobody asks for a role for themselves, and the one who approves is neither the asker nor the grantee.
  CONSTRAINT "role_grant_requests_not_self" CHECK ("requested_by_id" <> "user_id"),
  CONSTRAINT "role_grant_requests_second_person" CHECK (
    "status" <> 'approved' OR ("decided_by_id" IS NOT NULL AND "decided_by_id" <> "requested_by_id" AND "decided_by_id" <> "user_id")),
  CONSTRAINT "role_grant_requests_decided" CHECK (("status" IN ('pending', 'expired')) = ("decided_at" IS NULL)),
  CONSTRAINT "role_grant_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "role_grant_requests_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "role_grant_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- One open request per user and role: a second admin asking the same is told it is already asked.
CREATE UNIQUE INDEX "role_grant_requests_one_pending" ON "role_grant_requests" ("user_id", "role") WHERE "status" = 'pending';
CREATE INDEX "role_grant_requests_status_requested_at_idx" ON "role_grant_requests" ("status", "requested_at");

-- The request a held role came from; NULL for a role granted directly (before two-person grants, or not privileged).
ALTER TABLE "user_roles" ADD COLUMN "grant_request_id" UUID;
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_grant_request_id_fkey" FOREIGN KEY ("grant_request_id") REFERENCES "role_grant_requests" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
