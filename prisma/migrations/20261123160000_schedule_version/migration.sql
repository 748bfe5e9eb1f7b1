-- The schedule's version: drawn from a sequence by every statement that changes what the
-- conflict rules read of other changes (their state, window, implementer, title, type, number,
-- and CIs), so a server keeps the changes on the schedule in memory and reloads them only when
-- the version it reads differs (lib/server/schedule/schedule-cache.ts). A sequence never hands
-- out a number twice, even to a transaction that rolls back. Votes, comments and sign-offs do not
-- touch these columns and leave the version alone.
CREATE SEQUENCE "schedule_version_seq";
CREATE TABLE "schedule_version" (
  "id" SMALLINT NOT NULL,
  "version" BIGINT NOT NULL,
  CONSTRAINT "schedule_version_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "schedule_version_single_row" CHECK ("id" = 1)
);
INSERT INTO "schedule_version" ("id", "version") VALUES (1, nextval('schedule_version_seq'));

CREATE FUNCTION "bump_schedule_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "schedule_version" SET "version" = nextval('schedule_version_seq') WHERE "id" = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "change_requests_bump_schedule_version" AFTER INSERT OR DELETE OR TRUNCATE ON "change_requests"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_schedule_version"();
CREATE TRIGGER "change_requests_schedule_columns_bump_schedule_version"
  AFTER UPDATE OF "state", "planned_start", "planned_end", "implementer_id", "title", "type", "number" ON "change_requests"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_schedule_version"();
CREATE TRIGGER "change_cis_bump_schedule_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "change_cis"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_schedule_version"();
