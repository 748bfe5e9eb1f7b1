-- How many rows a contains-match (ILIKE '%text%') finds is estimated from the column's histogram,
-- which at the default statistics target holds 100 sampled values: a word in 5.6 % of 100,000
-- change titles was estimated from one ANALYZE to the next at 946, 4,741, 7,573 and 6,626 rows.
-- Told 946, the planner read the events of every such change (2,479 normal ones, 51,000 pages,
-- 350-840 ms) for the events view's first page instead of walking the newest events of the
-- action and stopping (13 ms). A 1,000-value histogram (a 300,000-row sample) estimated 5,575.
ALTER TABLE "change_requests" ALTER COLUMN "title" SET STATISTICS 1000;
ALTER TABLE "change_requests" ALTER COLUMN "description" SET STATISTICS 1000;
ALTER INDEX "audit_events_search_text_trgm_idx" ALTER COLUMN 1 SET STATISTICS 1000;

-- Only where there are rows (see 20261202190000_history_text_indexes: statistics that say
-- "empty" make a session's cached plans sequential scans); autovacuum analyses tables that grow.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "change_requests") THEN
    ANALYZE "change_requests";
  END IF;
  IF EXISTS (SELECT 1 FROM "audit_events") THEN
    ANALYZE "audit_events";
  END IF;
END $$;
