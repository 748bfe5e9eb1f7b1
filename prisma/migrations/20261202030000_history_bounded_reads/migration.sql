-- Reads whose cost grew with the whole history at 100,000 changes (npm run bench, sweep rows;
-- docs/performance.md, 2026-12-02 pass).

-- The access review report asks each privileged user's last sign-in. With no index on
-- (actor, action) PostgreSQL walked audit_events newest first for each user until it met one
-- of their sign-ins, the whole log for a user who never signed in: > 28 s at 1.8M events.
-- Sign-ins are one event in twenty; the index holds only them.
CREATE INDEX "audit_events_sign_in_actor_idx" ON "audit_events" ("actor_id", "occurred_at") WHERE "action" = 'auth.signed_in';

-- The metrics page aggregates changes implemented, submitted and authorized within a period
-- (90 days by default): each aggregate read every change (8 sequential scans, ~340 ms at
-- 100,000 changes) instead of the period's few thousand.
CREATE INDEX "change_requests_implemented_at_idx" ON "change_requests" ("implemented_at");
CREATE INDEX "change_requests_submitted_at_idx" ON "change_requests" ("submitted_at");
CREATE INDEX "change_requests_authorized_at_idx" ON "change_requests" ("authorized_at");
