-- Release artifacts a change ships (the approval covers exactly their digests) and the
-- deployments pipelines report, each reconciled with the change that authorized it or not.
CREATE TABLE "release_artifacts" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "change_id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "version" TEXT NOT NULL,
  "digest" TEXT NOT NULL,
  "source_repository" TEXT,
  "source_commit" TEXT,
  "sbom_ref" TEXT,
  "provenance_ref" TEXT,
  "scan_scanner" TEXT,
  "scanned_at" TIMESTAMPTZ(3),
  "scan_critical" INTEGER,
  "scan_high" INTEGER,
  "scan_medium" INTEGER,
  "scan_low" INTEGER,
  "scan_known_exploited" INTEGER,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "release_artifacts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "release_artifacts_digest_format" CHECK ("digest" ~ '^sha256:[0-9a-f]{64}$'),
  CONSTRAINT "release_artifacts_scan_counts" CHECK (
    coalesce("scan_critical", 0) >= 0 AND coalesce("scan_high", 0) >= 0 AND coalesce("scan_medium", 0) >= 0
    AND coalesce("scan_low", 0) >= 0 AND coalesce("scan_known_exploited", 0) >= 0),
  CONSTRAINT "release_artifacts_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "release_artifacts_change_id_digest_key" ON "release_artifacts" ("change_id", "digest");
-- The gate and the reconciliation look changes up by digest.
CREATE INDEX "release_artifacts_digest_idx" ON "release_artifacts" ("digest");

CREATE TYPE "deployment_status" AS ENUM ('started', 'succeeded', 'failed', 'rolled_back');

CREATE TABLE "deployments" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "environment" TEXT NOT NULL,
  "ci_id" UUID,
  "ci_name" TEXT NOT NULL,
  "digests" TEXT[] NOT NULL,
  "status" "deployment_status" NOT NULL,
  "started_at" TIMESTAMPTZ(3),
  "finished_at" TIMESTAMPTZ(3),
  "pipeline_run_url" TEXT NOT NULL,
  "pipeline_step" TEXT NOT NULL DEFAULT '',
  "commit_sha" TEXT,
  "committed_at" TIMESTAMPTZ(3),
  "triggered_by" TEXT,
  "reported_by_id" UUID NOT NULL,
  "reported_by_token_id" UUID,
  "change_id" UUID,
  "authorized" BOOLEAN NOT NULL,
  "unauthorized_reason" TEXT,
  "reasons" JSONB NOT NULL DEFAULT '[]',
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "deployments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "deployments_has_digest" CHECK (cardinality("digests") >= 1),
  CONSTRAINT "deployments_reason_when_unauthorized" CHECK ("authorized" OR "unauthorized_reason" IS NOT NULL),
  CONSTRAINT "deployments_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "configuration_items" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "deployments_reported_by_id_fkey" FOREIGN KEY ("reported_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "deployments_reported_by_token_id_fkey" FOREIGN KEY ("reported_by_token_id") REFERENCES "api_tokens" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "deployments_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- A pipeline run's step reports once; later reports of the same step update its status.
CREATE UNIQUE INDEX "deployments_pipeline_run_url_pipeline_step_key" ON "deployments" ("pipeline_run_url", "pipeline_step");
CREATE INDEX "deployments_change_id_idx" ON "deployments" ("change_id");
CREATE INDEX "deployments_ci_id_created_at_idx" ON "deployments" ("ci_id", "created_at");
CREATE INDEX "deployments_environment_created_at_idx" ON "deployments" ("environment", "created_at");
CREATE INDEX "deployments_authorized_created_at_idx" ON "deployments" ("authorized", "created_at");
