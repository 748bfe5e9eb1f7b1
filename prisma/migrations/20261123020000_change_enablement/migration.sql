-- Change enablement: configuration items, templates, change requests, approvals, checklists.

CREATE TYPE "change_type" AS ENUM ('standard', 'normal', 'emergency', 'major');
CREATE TYPE "change_state" AS ENUM ('draft', 'submitted', 'assessment', 'authorization', 'scheduled', 'implementing', 'review', 'closed', 'rejected', 'cancelled');
CREATE TYPE "risk_level" AS ENUM ('low', 'medium', 'high', 'critical');
CREATE TYPE "exposure" AS ENUM ('internet_facing', 'internal', 'isolated');
CREATE TYPE "template_status" AS ENUM ('proposed', 'approved', 'retired');
CREATE TYPE "vote_decision" AS ENUM ('approve', 'reject', 'abstain');
CREATE TYPE "checklist_status" AS ENUM ('pending', 'signed', 'waived');
CREATE TYPE "outcome" AS ENUM ('successful', 'successful_with_issues', 'failed', 'rolled_back');

CREATE TABLE "configuration_items" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "name" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "environment" TEXT NOT NULL,
  "owner" TEXT NOT NULL,
  "criticality" SMALLINT NOT NULL,
  "exposure" "exposure" NOT NULL,
  "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "configuration_items_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "configuration_items_criticality_range" CHECK ("criticality" BETWEEN 1 AND 4)
);
CREATE UNIQUE INDEX "configuration_items_name_key" ON "configuration_items" ("name");
CREATE INDEX "configuration_items_environment_idx" ON "configuration_items" ("environment");

CREATE TABLE "ci_dependencies" (
  "ci_id" UUID NOT NULL,
  "depends_on_id" UUID NOT NULL,
  CONSTRAINT "ci_dependencies_pkey" PRIMARY KEY ("ci_id", "depends_on_id"),
  CONSTRAINT "ci_dependencies_not_self" CHECK ("ci_id" <> "depends_on_id"),
  CONSTRAINT "ci_dependencies_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "configuration_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "ci_dependencies_depends_on_id_fkey" FOREIGN KEY ("depends_on_id") REFERENCES "configuration_items" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "ci_dependencies_depends_on_id_idx" ON "ci_dependencies" ("depends_on_id");

CREATE TABLE "change_templates" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "family_id" UUID NOT NULL,
  "version" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "description" TEXT NOT NULL,
  "implementation_plan" TEXT NOT NULL,
  "backout_plan" TEXT NOT NULL,
  "test_plan" TEXT NOT NULL,
  "risk_ceiling" "risk_level" NOT NULL,
  "status" "template_status" NOT NULL DEFAULT 'proposed',
  "proposed_by_id" UUID NOT NULL,
  "approved_by_id" UUID,
  "approved_at" TIMESTAMPTZ(3),
  "retired_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "change_templates_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "change_templates_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "change_templates_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "change_templates_family_id_version_key" ON "change_templates" ("family_id", "version");
CREATE INDEX "change_templates_status_idx" ON "change_templates" ("status");

CREATE TABLE "template_cis" (
  "template_id" UUID NOT NULL,
  "ci_id" UUID NOT NULL,
  CONSTRAINT "template_cis_pkey" PRIMARY KEY ("template_id", "ci_id"),
  CONSTRAINT "template_cis_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "change_templates" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "template_cis_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "configuration_items" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE TABLE "change_requests" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "number" SERIAL NOT NULL,
  "type" "change_type" NOT NULL,
  "state" "change_state" NOT NULL DEFAULT 'draft',
  "title" TEXT NOT NULL,
  "description" TEXT NOT NULL DEFAULT '',
  "justification" TEXT NOT NULL DEFAULT '',
  "implementation_plan" TEXT NOT NULL DEFAULT '',
  "backout_plan" TEXT NOT NULL DEFAULT '',
  "test_plan" TEXT NOT NULL DEFAULT '',
  "backout_tested" BOOLEAN NOT NULL DEFAULT false,
  "emergency_justification" TEXT,
  "planned_start" TIMESTAMPTZ(3),
  "planned_end" TIMESTAMPTZ(3),
  "requester_id" UUID NOT NULL,
  "implementer_id" UUID,
  "template_id" UUID,
  "new_external_interface" BOOLEAN NOT NULL DEFAULT false,
  "touches_auth" BOOLEAN NOT NULL DEFAULT false,
  "regulated_data" BOOLEAN NOT NULL DEFAULT false,
  "framework_tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  "infra_provisioning" BOOLEAN NOT NULL DEFAULT false,
  "release_artifact" BOOLEAN NOT NULL DEFAULT false,
  "artifact_digest" TEXT,
  "temporary_access" BOOLEAN NOT NULL DEFAULT false,
  "access_expires_at" TIMESTAMPTZ(3),
  "risk_score" SMALLINT,
  "risk_level" "risk_level",
  "risk_factors" JSONB,
  "risk_assessed_at" TIMESTAMPTZ(3),
  "approval_round" INTEGER NOT NULL DEFAULT 0,
  "rework_count" INTEGER NOT NULL DEFAULT 0,
  "outcome" "outcome",
  "outcome_notes" TEXT,
  "implementation_started_at" TIMESTAMPTZ(3),
  "implemented_at" TIMESTAMPTZ(3),
  "root_cause" TEXT,
  "version" INTEGER NOT NULL DEFAULT 1,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "submitted_at" TIMESTAMPTZ(3),
  "authorized_at" TIMESTAMPTZ(3),
  "closed_at" TIMESTAMPTZ(3),
  CONSTRAINT "change_requests_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "change_requests_window_order" CHECK ("planned_start" IS NULL OR "planned_end" IS NULL OR "planned_start" < "planned_end"),
  CONSTRAINT "change_requests_risk_score_range" CHECK ("risk_score" IS NULL OR "risk_score" BETWEEN 0 AND 100),
  CONSTRAINT "change_requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "change_requests_implementer_id_fkey" FOREIGN KEY ("implementer_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "change_requests_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "change_templates" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "change_requests_number_key" ON "change_requests" ("number");
CREATE INDEX "change_requests_state_planned_start_idx" ON "change_requests" ("state", "planned_start");
CREATE INDEX "change_requests_requester_id_created_at_idx" ON "change_requests" ("requester_id", "created_at");
CREATE INDEX "change_requests_implementer_id_state_idx" ON "change_requests" ("implementer_id", "state");
CREATE INDEX "change_requests_type_state_idx" ON "change_requests" ("type", "state");

CREATE TABLE "change_cis" (
  "change_id" UUID NOT NULL,
  "ci_id" UUID NOT NULL,
  CONSTRAINT "change_cis_pkey" PRIMARY KEY ("change_id", "ci_id"),
  CONSTRAINT "change_cis_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "change_cis_ci_id_fkey" FOREIGN KEY ("ci_id") REFERENCES "configuration_items" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "change_cis_ci_id_idx" ON "change_cis" ("ci_id");

CREATE TABLE "cve_references" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "change_id" UUID NOT NULL,
  "cve_id" TEXT NOT NULL,
  "cvss_base_score" DECIMAL(3,1) NOT NULL,
  "known_exploited" BOOLEAN NOT NULL DEFAULT false,
  CONSTRAINT "cve_references_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "cve_references_cvss_range" CHECK ("cvss_base_score" BETWEEN 0 AND 10),
  CONSTRAINT "cve_references_cve_id_format" CHECK ("cve_id" ~ '^CVE-[0-9]{4}-[0-9]{4,}$'),
  CONSTRAINT "cve_references_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "cve_references_change_id_cve_id_key" ON "cve_references" ("change_id", "cve_id");

CREATE TABLE "approval_rounds" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "change_id" UUID NOT NULL,
  "number" INTEGER NOT NULL,
  "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "closed_at" TIMESTAMPTZ(3),
  CONSTRAINT "approval_rounds_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "approval_rounds_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "approval_rounds_change_id_number_key" ON "approval_rounds" ("change_id", "number");

CREATE TABLE "votes" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "round_id" UUID NOT NULL,
  "change_id" UUID NOT NULL,
  "voter_id" UUID NOT NULL,
  "role" "role" NOT NULL,
  "decision" "vote_decision" NOT NULL,
  "comment" TEXT NOT NULL DEFAULT '',
  "cast_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "votes_pkey" PRIMARY KEY ("id"),
  -- Any rejection needs a reason (domain.md, Approval policy).
  CONSTRAINT "votes_rejection_has_comment" CHECK ("decision" <> 'reject' OR length(btrim("comment")) > 0),
  CONSTRAINT "votes_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "approval_rounds" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "votes_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "votes_voter_id_fkey" FOREIGN KEY ("voter_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "votes_round_id_voter_id_key" ON "votes" ("round_id", "voter_id");
CREATE INDEX "votes_voter_id_idx" ON "votes" ("voter_id");
CREATE INDEX "votes_change_id_idx" ON "votes" ("change_id");

CREATE TABLE "checklist_items" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "change_id" UUID NOT NULL,
  "key" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "signer_role" "role" NOT NULL,
  "evidence_wanted" TEXT NOT NULL,
  "pre_implementation" BOOLEAN NOT NULL DEFAULT false,
  "status" "checklist_status" NOT NULL DEFAULT 'pending',
  "signed_by_id" UUID,
  "signed_at" TIMESTAMPTZ(3),
  "evidence" TEXT,
  "compensating_control" TEXT,
  "residual_risk" TEXT,
  CONSTRAINT "checklist_items_pkey" PRIMARY KEY ("id"),
  -- A waiver always records its compensating control and residual risk.
  CONSTRAINT "checklist_items_waiver_complete" CHECK ("status" <> 'waived' OR ("compensating_control" IS NOT NULL AND "residual_risk" IS NOT NULL)),
  CONSTRAINT "checklist_items_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "checklist_items_signed_by_id_fkey" FOREIGN KEY ("signed_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "checklist_items_change_id_key_key" ON "checklist_items" ("change_id", "key");
CREATE INDEX "checklist_items_status_signer_role_idx" ON "checklist_items" ("status", "signer_role");

CREATE TABLE "comments" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "change_id" UUID NOT NULL,
  "author_id" UUID NOT NULL,
  "body" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "comments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "comments_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "comments_change_id_created_at_idx" ON "comments" ("change_id", "created_at");

CREATE TABLE "post_implementation_reviews" (
  "change_id" UUID NOT NULL,
  "works_as_intended" BOOLEAN NOT NULL,
  "security_controls_in_place" BOOLEAN NOT NULL,
  "monitoring_covers" BOOLEAN NOT NULL,
  "documentation_updated" BOOLEAN NOT NULL,
  "security_validation" TEXT,
  "notes" TEXT NOT NULL DEFAULT '',
  "reviewed_by_id" UUID NOT NULL,
  "reviewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "post_implementation_reviews_pkey" PRIMARY KEY ("change_id"),
  CONSTRAINT "post_implementation_reviews_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change_requests" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "post_implementation_reviews_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
