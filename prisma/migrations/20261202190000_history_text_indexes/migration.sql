-- The history search's free text is a "contains" match (ILIKE '%text%'), which no B-tree serves.
-- A text that matches little made the search walk everything: at 100,000 changes a change number
-- or a rare word in the events view took ~7 s (1.8 million events), in the changes view ~150 ms.
-- Trigram indexes (pg_trgm, a trusted extension shipped with PostgreSQL) answer such a match from
-- the index; where a text matches much, the planner still walks the newest rows and stops.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- An event's own searchable fields in one text, for one index instead of four. Line breaks keep
-- the fields apart: a search's text has none (lib/domain/history-filters.ts), so it matches this
-- text exactly when it matches one of the fields.
CREATE FUNCTION audit_event_search_text(action text, reason text, actor_email text, entity_id text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT action || E'\n' || coalesce(reason, '') || E'\n' || coalesce(actor_email, '') || E'\n' || coalesce(entity_id, '') $$;

CREATE INDEX "audit_events_search_text_trgm_idx" ON "audit_events"
  USING gin (audit_event_search_text("action", "reason", "actor_email", "entity_id") gin_trgm_ops);
CREATE INDEX "change_requests_title_trgm_idx" ON "change_requests" USING gin ("title" gin_trgm_ops);
CREATE INDEX "change_requests_description_trgm_idx" ON "change_requests" USING gin ("description" gin_trgm_ops);

-- The planner estimates how many events a text matches from statistics on the indexed expression,
-- which only ANALYZE gathers; without them it would take a common word for a rare one. Only where
-- there are events: statistics that say "empty" make a session plan the link trigger's lookup of
-- the previous event as a sequential scan and keep that plan while the table grows (a bulk load
-- of 30,000 events took 50 s instead of 5 s). Autovacuum analyses a table that has grown.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "audit_events") THEN
    ANALYZE "audit_events";
  END IF;
END $$;
