-- Schedule: freeze windows, weekly maintenance windows per CI, freeze exceptions, notifications.

CREATE TYPE "freeze_scope" AS ENUM ('all', 'environments', 'tags');

CREATE TABLE "freeze_windows" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "starts_at" TIMESTAMPTZ(3) NOT NULL,
  "ends_at" TIMESTAMPTZ(3) NOT NULL,
  "reason" TEXT NOT NULL,
  "scope" "freeze_scope" NOT NULL DEFAULT 'all',
  "environments" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "created_by_id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "freeze_windows_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "freeze_windows_order" CHECK ("starts_at" < "ends_at"),
  -- A scoped freeze names what it covers; an empty scope would silently freeze nothing.
  CONSTRAINT "freeze_windows_scope_named" CHECK (("scope" <> 'environments' OR cardinality("environments") > 0) AND ("scope" <> 'tags' OR cardinality("tags") > 0)),
  CONSTRAINT "freeze_windows_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "freeze_windows_starts_at_idx" ON "freeze_windows" ("starts_at");
CREATE INDEX "freeze_windows_ends_at_idx" ON "freeze_windows" ("ends_at");

CREATE TABLE "maintenance_windows" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "ci_id" UUID NOT NULL,
  "weekday" SMALLINT NOT NULL,
  "start_minute" SMALLINT NOT NULL,
  "duration_minutes" INTEGER NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "maintenance_windows_weekday_range" CHECK ("weekday" BETWEEN 0 AND 6),
  CONSTRAINT "maintenance_windows_start_range" CHECK ("start_minute" BETWEEN 0 AND 1439),
  CONSTRAINT "maintenance_windows_duration_range" CHECK ("duration_minutes" BETWEEN 1 AND 10080),
  CONSTRAINT "maintenance_windows_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "configuration_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "maintenance_windows_ci_id_idx" ON "maintenance_windows" ("ci_id");

CREATE TABLE "freeze_exceptions" (
  "change_id" UUID NOT NULL,
  "requested_by_id" UUID NOT NULL,
  "reason" TEXT NOT NULL,
  "window_start" TIMESTAMPTZ(3) NOT NULL,
  "window_end" TIMESTAMPTZ(3) NOT NULL,
  "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "manager_approver_id" UUID,
  "manager_approved_at" TIMESTAMPTZ(3),
  "security_approver_id" UUID,
  "security_approved_at" TIMESTAMPTZ(3),
  CONSTRAINT "freeze_exceptions_pkey" PRIMARY KEY ("change_id"),
  CONSTRAINT "freeze_exceptions_reason_given" CHECK (length(btrim("reason")) > 0),
  -- Two different people, whatever roles they hold (domain.md: a second approver).
  CONSTRAINT "freeze_exceptions_two_people" CHECK ("manager_approver_id" IS NULL OR "security_approver_id" IS NULL OR "manager_approver_id" <> "security_approver_id"),
  CONSTRAINT "freeze_exceptions_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "freeze_exceptions_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "freeze_exceptions_manager_approver_id_fkey" FOREIGN KEY ("manager_approver_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "freeze_exceptions_security_approver_id_fkey" FOREIGN KEY ("security_approver_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE "notifications" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "kind" TEXT NOT NULL,
  "change_id" UUID,
  "message" TEXT NOT NULL,
  "dedupe_key" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "read_at" TIMESTAMPTZ(3),
  CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "notifications_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications" ("dedupe_key");
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications" ("user_id", "created_at");
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications" ("user_id", "read_at");
