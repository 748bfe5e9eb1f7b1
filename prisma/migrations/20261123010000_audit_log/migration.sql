-- The append-only, hash-chained audit log.

CREATE TABLE "audit_events" (
  "seq" BIGINT NOT NULL,
  "occurred_at" TIMESTAMPTZ(3) NOT NULL,
  "actor_id" UUID,
  "actor_email" TEXT,
  "action" TEXT NOT NULL,
  "entity_type" TEXT NOT NULL,
  "entity_id" TEXT,
  "change_id" UUID,
  "before" JSONB,
  "after" JSONB,
  "reason" TEXT,
  "client_address" TEXT,
  "prev_hash" CHAR(64) NOT NULL,
  "hash" CHAR(64) NOT NULL,
  CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq"),
  CONSTRAINT "audit_events_seq_positive" CHECK ("seq" > 0),
  CONSTRAINT "audit_events_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events" ("hash");
CREATE INDEX "audit_events_change_id_seq_idx" ON "audit_events" ("change_id", "seq");
CREATE INDEX "audit_events_actor_id_seq_idx" ON "audit_events" ("actor_id", "seq");
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" ("occurred_at");

CREATE TABLE "audit_chain_head" (
  "id" SMALLINT NOT NULL,
  "seq" BIGINT NOT NULL,
  "hash" CHAR(64) NOT NULL,
  CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "audit_chain_head_single_row" CHECK ("id" = 1)
);
INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64));

-- History is never rewritten: no UPDATE or DELETE, whoever asks. Only the table's owner could
-- disable this trigger, and the application's role owns nothing.
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

-- Each event must extend the chain: the next sequence number, linked to the previous hash.
CREATE FUNCTION "audit_events_check_link"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  RETURN NEW;
END $$;
CREATE TRIGGER "audit_events_link" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_check_link"();
