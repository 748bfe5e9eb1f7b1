-- A service account is a user row that is not a person: it holds roles and tokens, never signs in
-- (its password hash is of a secret nobody kept) and never votes, signs off, waives or approves.
CREATE TYPE "account_kind" AS ENUM ('user', 'service_account');
ALTER TABLE "users" ADD COLUMN "kind" "account_kind" NOT NULL DEFAULT 'user';

-- API tokens: only the SHA-256 of the token is kept, found by its short public id. A token acts
-- with its owner's roles as they are at each request, narrowed to its scopes.
CREATE TABLE "api_tokens" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "public_id" TEXT NOT NULL,
  "secret_hash" TEXT NOT NULL,
  "owner_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "scopes" TEXT[] NOT NULL,
  "created_by_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "last_used_at" TIMESTAMPTZ(3),
  "last_used_address" TEXT,
  "revoked_at" TIMESTAMPTZ(3),
  "revoked_by_id" UUID,
  CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "api_tokens_public_id_format" CHECK ("public_id" ~ '^[a-z2-7]{12}$'),
  CONSTRAINT "api_tokens_secret_hash_format" CHECK ("secret_hash" ~ '^[0-9a-f]{64}$'),
  CONSTRAINT "api_tokens_has_scope" CHECK (cardinality("scopes") >= 1),
  CONSTRAINT "api_tokens_expiry_within_a_year" CHECK ("expires_at" > "created_at" AND "expires_at" <= "created_at" + INTERVAL '366 days'),
  CONSTRAINT "api_tokens_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "api_tokens_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "api_tokens_public_id_key" ON "api_tokens" ("public_id");
CREATE INDEX "api_tokens_owner_id_created_at_idx" ON "api_tokens" ("owner_id", "created_at");
