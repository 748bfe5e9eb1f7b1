-- A session carries the user's session version from sign-in; a password change or reset, a
-- deactivation and "sign out everywhere" bump it, which ends every older session at its next request.
ALTER TABLE "users" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 1;

-- Failed sign-ins counted per account, address and minute. The first failure of a minute appends
-- one audit event; the rest only add to its count here, so unauthenticated requests cannot queue
-- on the audit log's head lock. The failed sign-in bursts report reads the counts.
CREATE TABLE "sign_in_failure_minutes" (
  "account" TEXT NOT NULL,
  "address" TEXT NOT NULL,
  "minute" TIMESTAMPTZ(3) NOT NULL,
  "failures" INTEGER NOT NULL,
  "first_at" TIMESTAMPTZ(3) NOT NULL,
  "last_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "sign_in_failure_minutes_pkey" PRIMARY KEY ("account", "address", "minute"),
  CONSTRAINT "sign_in_failure_minutes_failures_check" CHECK ("failures" > 0)
);
CREATE INDEX "sign_in_failure_minutes_minute_idx" ON "sign_in_failure_minutes" ("minute");
