-- Each event's columns must agree with the bytes its hash covers, now as a CHECK constraint
-- instead of in the insert trigger. PostgreSQL checks a constraint on every write, UPDATE and
-- COPY included, with triggers disabled or session_replication_role = replica alike; only a
-- change of the schema can lift it. So while it stands validated with this definition, no row
-- can disagree, and the live verifier (lib/server/audit/content-guard.ts) reads it from the
-- catalog instead of rebuilding every event from its columns.
--
-- It names built-in functions only (this is audit_event_content(e), written out): the catalog
-- then shows all it checks, and replacing a function of ours could not weaken it.
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_content_agrees" CHECK (
  "hashed_content" IS NULL OR "hashed_content"::jsonb = jsonb_build_object(
    'action', "action", 'actorEmail', "actor_email", 'actorId', "actor_id", 'after', "after", 'before', "before",
    'changeId', "change_id", 'clientAddress', "client_address", 'entityId', "entity_id", 'entityType', "entity_type",
    'occurredAt', to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'reason', "reason", 'seq', "seq")
) NOT VALID;
-- Validating apart takes a lock that lets the portal go on appending while the rows are read.
ALTER TABLE "audit_events" VALIDATE CONSTRAINT "audit_events_content_agrees";

-- The trigger keeps the link and the hash; the agreement is the constraint's alone.
CREATE OR REPLACE FUNCTION "audit_events_check_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE previous CHAR(64);
BEGIN
  IF NEW.seq = 1 THEN
    previous := repeat('0', 64);
  ELSE
    SELECT hash INTO previous FROM audit_events WHERE seq = NEW.seq - 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'audit event % does not follow an existing event', NEW.seq;
    END IF;
  END IF;
  IF NEW.prev_hash <> previous THEN
    RAISE EXCEPTION 'audit event % does not link to the hash of event %', NEW.seq, NEW.seq - 1;
  END IF;
  IF NEW.hashed_content IS NOT NULL
    AND encode(sha256(convert_to(NEW.prev_hash || NEW.hashed_content, 'UTF8')), 'hex') <> NEW.hash THEN
    RAISE EXCEPTION 'audit event %: hash is not the SHA-256 of its previous hash and hashed_content', NEW.seq;
  END IF;
  RETURN NEW;
END $$;

DROP FUNCTION "audit_event_content_agrees"("audit_events");
