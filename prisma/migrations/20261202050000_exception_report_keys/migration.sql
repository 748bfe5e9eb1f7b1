-- Two exception reports (lib/server/reports/report-queries.ts) look for what is missing across
-- tables, which no index can hold: a closed change with no review, an emergency reviewed late or
-- not at all. They now find the exceptions' ids from narrow keys first and read the few
-- exceptions' rows after; these partial indexes are those keys (docs/performance.md, 2026-12-02
-- afternoon). At 100,000 changes, warm: closed without review 105 -> 17 ms a page, overdue
-- emergency reviews 20 -> 10 ms.

-- Every closed change's id, in id order: the report walks it beside the reviews' primary key
-- (a merge anti-join of two index-only scans) instead of reading every closed change's row.
CREATE INDEX "change_requests_closed_id_idx" ON "change_requests" ("id") WHERE "state" = 'closed';

-- Every implemented emergency's id and implementation time: the deadline is computed from the
-- index alone. The condition is the report's own, written the same way.
CREATE INDEX "change_requests_emergency_implemented_idx" ON "change_requests" ("id") INCLUDE ("implemented_at")
  WHERE "type" = 'emergency' AND "implemented_at" IS NOT NULL;
