-- Idempotency-Key on POST /api/v1: one row per owner and key, claimed before the use case runs
-- (response_status NULL: in progress) and holding the first 2xx answer for 24 hours. Kept in
-- PostgreSQL so a retry that reaches another instance finds it.
CREATE TABLE "api_idempotency_keys" (
  "owner_id" UUID NOT NULL,
  "key" TEXT NOT NULL,
  "fingerprint" TEXT NOT NULL,
  "claim_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "response_status" INTEGER,
  "response_headers" JSONB,
  "response_body" BYTEA,
  CONSTRAINT "api_idempotency_keys_pkey" PRIMARY KEY ("owner_id", "key"),
  CONSTRAINT "api_idempotency_keys_key_format" CHECK ("key" ~ '^[\x20-\x7e]{1,255}$'),
  CONSTRAINT "api_idempotency_keys_fingerprint_format" CHECK ("fingerprint" ~ '^[0-9a-f]{64}$'),
  CONSTRAINT "api_idempotency_keys_response_whole" CHECK (("response_status" IS NULL) = ("response_headers" IS NULL) AND ("response_status" IS NULL) = ("response_body" IS NULL)),
  CONSTRAINT "api_idempotency_keys_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Pruning takes the oldest few past 24 hours.
CREATE INDEX "api_idempotency_keys_created_at_idx" ON "api_idempotency_keys" ("created_at");

-- Rate limits per token: a fixed window per token, counted by one INSERT ... ON CONFLICT per
-- request, so every instance counts against the same row. Unlogged: a count writes no WAL, so a
-- request does not wait for a flush to disk; a crash empties it, which only starts every window again.
CREATE UNLOGGED TABLE "api_rate_limits" (
  "token_id" UUID NOT NULL,
  "window_started_at" TIMESTAMPTZ(3) NOT NULL,
  "requests" INTEGER NOT NULL,
  CONSTRAINT "api_rate_limits_pkey" PRIMARY KEY ("token_id"),
  CONSTRAINT "api_rate_limits_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_tokens" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
