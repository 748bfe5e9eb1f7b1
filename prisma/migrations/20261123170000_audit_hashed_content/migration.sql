-- Each event keeps the exact bytes its hash covers (after the previous hash): the canonical JSON
-- of its content. Exports carry these bytes, so a verifier hashes what it reads instead of
-- rebuilding canonical JSON from columns (which cost more than the hash itself). Events written
-- before this migration have none and verify the old way, from their columns.
ALTER TABLE "audit_events" ADD COLUMN "hashed_content" TEXT;

-- The content the columns say, as JSON: what hashed_content must parse to. One place for the
-- rule, used when an event is written and by the live verifier (a column changed behind the
-- triggers' back no longer agrees with the bytes its hash covers).
CREATE FUNCTION "audit_event_content"(e "audit_events") RETURNS JSONB LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'action', e.action, 'actorEmail', e.actor_email, 'actorId', e.actor_id, 'after', e.after, 'before', e.before,
    'changeId', e.change_id, 'clientAddress', e.client_address, 'entityId', e.entity_id, 'entityType', e.entity_type,
    'occurredAt', iso_utc(e.occurred_at), 'reason', e.reason, 'seq', e.seq)
$$;

CREATE FUNCTION "audit_event_content_agrees"(e "audit_events") RETURNS BOOLEAN LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT e.hashed_content IS NULL OR e.hashed_content::jsonb = audit_event_content(e)
$$;

-- The link check also refuses bytes that disagree with the columns or with the hash.
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
  IF NEW.hashed_content IS NOT NULL THEN
    IF NOT audit_event_content_agrees(NEW) THEN
      RAISE EXCEPTION 'audit event %: hashed_content does not match the event''s columns', NEW.seq;
    END IF;
    IF encode(sha256(convert_to(NEW.prev_hash || NEW.hashed_content, 'UTF8')), 'hex') <> NEW.hash THEN
      RAISE EXCEPTION 'audit event %: hash is not the SHA-256 of its previous hash and hashed_content', NEW.seq;
    END IF;
  END IF;
  RETURN NEW;
END $$;
