-- The CMDB's version, bumped by every statement that changes configuration items or their
-- dependencies: a server keeps the dependency graph and the CI names in memory and reloads them
-- only when the version it reads differs from the one it loaded (lib/server/cis/cmdb-graph.ts).
CREATE TABLE "cmdb_version" (
  "id" SMALLINT NOT NULL,
  "version" BIGINT NOT NULL,
  CONSTRAINT "cmdb_version_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "cmdb_version_single_row" CHECK ("id" = 1)
);
INSERT INTO "cmdb_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_cmdb_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "cmdb_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;

-- Per statement, so a bulk load bumps it once; TRUNCATE too.
CREATE TRIGGER "ci_dependencies_bump_cmdb_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ci_dependencies"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_cmdb_version"();
CREATE TRIGGER "configuration_items_bump_cmdb_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "configuration_items"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_cmdb_version"();
