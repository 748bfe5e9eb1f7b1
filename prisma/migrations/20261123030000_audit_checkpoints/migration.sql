-- Signed checkpoints of the audit chain: Ed25519 signatures over (seq, hash, created_at, key_id).
-- Append-only like audit_events: kept checkpoints are how an auditor proves the log only grew.

CREATE TABLE "audit_checkpoints" (
  "id" BIGSERIAL NOT NULL,
  "seq" BIGINT NOT NULL,
  "hash" CHAR(64) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL,
  "key_id" TEXT NOT NULL,
  "signature" TEXT NOT NULL,
  "reason" TEXT NOT NULL,
  "created_by" UUID,
  CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "audit_checkpoints_seq_positive" CHECK ("seq" > 0),
  CONSTRAINT "audit_checkpoints_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$'),
  CONSTRAINT "audit_checkpoints_key_id_hex" CHECK ("key_id" ~ '^[0-9a-f]{16}$'),
  CONSTRAINT "audit_checkpoints_reason" CHECK ("reason" IN ('periodic', 'on_demand', 'export'))
);
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints" ("seq");

CREATE FUNCTION "audit_checkpoints_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_checkpoints_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "audit_checkpoints_refuse_change"();
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_checkpoints_refuse_change"();

-- A checkpoint can only vouch for an event that exists, with the hash it really has.
CREATE FUNCTION "audit_checkpoints_check_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_events WHERE seq = NEW.seq AND hash = NEW.hash) THEN
    RAISE EXCEPTION 'audit checkpoint at % does not match the audit event with that sequence number', NEW.seq;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "audit_checkpoints_event" BEFORE INSERT ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "audit_checkpoints_check_event"();
