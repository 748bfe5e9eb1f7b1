-- The auditor's history search filters events by action; exports record their manifests.
CREATE INDEX "audit_events_action_seq_idx" ON "audit_events" ("action", "seq");

CREATE TABLE "data_exports" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "kind" TEXT NOT NULL,
  "file_format" TEXT NOT NULL,
  "file_name" TEXT NOT NULL,
  "filters" JSONB NOT NULL DEFAULT '{}',
  "exported_by_id" UUID NOT NULL,
  "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "chain_head_seq" BIGINT NOT NULL,
  "chain_head_hash" CHAR(64) NOT NULL,
  "checkpoint" JSONB NOT NULL,
  "row_count" INTEGER,
  "sha256" CHAR(64),
  "completed_at" TIMESTAMPTZ(3),
  CONSTRAINT "data_exports_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "data_exports_kind_check" CHECK ("kind" IN ('audit_events', 'changes', 'report')),
  CONSTRAINT "data_exports_file_format_check" CHECK ("file_format" IN ('csv', 'jsonl')),
  -- A completion is written once, whole: count, digest and time together.
  CONSTRAINT "data_exports_completion_check" CHECK (("completed_at" IS NULL) = ("sha256" IS NULL) AND ("completed_at" IS NULL) = ("row_count" IS NULL)),
  CONSTRAINT "data_exports_exported_by_id_fkey" FOREIGN KEY ("exported_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "data_exports_exported_by_id_started_at_idx" ON "data_exports" ("exported_by_id", "started_at");
