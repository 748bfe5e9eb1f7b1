-- A row per signed-in browser session, whose id the session token carries as `sid`: the session
-- gate refuses a token whose row is ended or missing, so one session (or all of a user's) can be
-- ended from the server, and the user can see where they are signed in.
CREATE TYPE "session_end_reason" AS ENUM (
  'signed_out', 'ended_by_user', 'signed_out_everywhere', 'ended_by_admin',
  'password_changed', 'password_reset', 'deactivated', 'expired'
);

CREATE TABLE "user_sessions" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "client_address" TEXT,
  "user_agent" TEXT,
  "method" TEXT NOT NULL,
  "ended_at" TIMESTAMPTZ(3),
  "end_reason" "session_end_reason",
  "ended_by_id" UUID,
  CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "user_sessions_method_check" CHECK ("method" IN ('password', 'sso')),
  CONSTRAINT "user_sessions_user_agent_length" CHECK (char_length("user_agent") <= 512),
  CONSTRAINT "user_sessions_ended_check" CHECK (("ended_at" IS NULL) = ("end_reason" IS NULL)),
  CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "user_sessions_ended_by_id_fkey" FOREIGN KEY ("ended_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "user_sessions_user_id_created_at_idx" ON "user_sessions" ("user_id", "created_at");
CREATE INDEX "user_sessions_ended_at_idx" ON "user_sessions" ("ended_at");
