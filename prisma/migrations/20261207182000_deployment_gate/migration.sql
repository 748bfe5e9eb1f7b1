-- The deployment gate's answers, one per pipeline run and step: a rerun of the same step gets the
-- same answer while it holds. A cache of answers, not the record (every answer is an audit event),
-- so it names the change, the caller and the token without holding them by foreign key.
CREATE TABLE "deployment_gate_decisions" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "pipeline_run_url" TEXT NOT NULL,
  "pipeline_step" TEXT NOT NULL DEFAULT '',
  "request_hash" TEXT NOT NULL,
  "allowed" BOOLEAN NOT NULL,
  "answer" JSONB NOT NULL,
  "change_id" UUID,
  "actor_id" UUID NOT NULL,
  "token_id" UUID,
  "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "valid_until" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "deployment_gate_decisions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "deployment_gate_decisions_pipeline_run_url_pipeline_step_key" ON "deployment_gate_decisions" ("pipeline_run_url", "pipeline_step");

-- Per change: may the deployments its pipeline reports start it and record its outcome?
ALTER TABLE "change_requests" ADD COLUMN "pipeline_moves_change" BOOLEAN NOT NULL DEFAULT false;
