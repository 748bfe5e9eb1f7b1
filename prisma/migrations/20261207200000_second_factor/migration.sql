-- A password account's second factor: a TOTP secret, encrypted with a key derived from
-- AUTH_SECRET (it must be read back to check codes), and the last time step accepted, so a code
-- is used once. A row without confirmed_at is an enrolment not yet confirmed by a first code.
CREATE TABLE "user_totp" (
  "user_id" UUID NOT NULL,
  "secret_ciphertext" TEXT NOT NULL,
  "confirmed_at" TIMESTAMPTZ(3),
  "last_time_step" BIGINT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "user_totp_pkey" PRIMARY KEY ("user_id"),
  CONSTRAINT "user_totp_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One-time recovery codes, stored only as a keyed hash; used_at marks the one use.
CREATE TABLE "user_recovery_codes" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "code_hash" CHAR(64) NOT NULL,
  "used_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "user_recovery_codes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "user_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "user_recovery_codes_user_id_code_hash_key" ON "user_recovery_codes" ("user_id", "code_hash");
