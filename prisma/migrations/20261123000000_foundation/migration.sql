-- Foundation: users, roles, login throttling, installation settings.

CREATE TYPE "role" AS ENUM (
  'requester', 'change_manager', 'cab_member', 'security_reviewer', 'implementer', 'auditor', 'admin'
);

CREATE TABLE "users" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "email" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "password_hash" TEXT NOT NULL,
  "active" BOOLEAN NOT NULL DEFAULT true,
  "must_change_password" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  -- Sign-in compares lower-cased addresses; one spelling per account.
  CONSTRAINT "users_email_lower_check" CHECK ("email" = lower("email"))
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");

CREATE TABLE "user_roles" (
  "user_id" UUID NOT NULL,
  "role" "role" NOT NULL,
  "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "granted_by_id" UUID,
  CONSTRAINT "user_roles_pkey" PRIMARY KEY ("user_id", "role"),
  CONSTRAINT "user_roles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "user_roles_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "user_roles_role_idx" ON "user_roles" ("role");

CREATE TABLE "login_throttle" (
  "key" TEXT NOT NULL,
  "failures" INTEGER NOT NULL,
  "window_started_at" TIMESTAMPTZ(3) NOT NULL,
  "locked_until" TIMESTAMPTZ(3),
  CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "app_settings" (
  "key" TEXT NOT NULL,
  "value" JSONB NOT NULL,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "app_settings_pkey" PRIMARY KEY ("key")
);
