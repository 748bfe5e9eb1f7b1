-- Indexes the benchmark's plans asked for (npm run bench, docs/performance.md), at 100,000 changes.

-- The change list pages newest first, keyset on (created_at, id): without this index every page
-- sorted the whole table (Seq Scan on change_requests).
CREATE INDEX "change_requests_created_at_id_idx" ON "change_requests" ("created_at", "id");

-- The CAB queue reads the changes in authorization highest risk first, keyset on (risk_score, id):
-- walked in index order, a page stops after its rows instead of sorting every candidate.
CREATE INDEX "change_requests_state_risk_score_id_idx" ON "change_requests" ("state", "risk_score" DESC, "id" DESC);
