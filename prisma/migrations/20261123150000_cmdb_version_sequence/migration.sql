-- The CMDB version comes from a sequence, not version + 1: a sequence never hands out a number
-- twice, even to a transaction that rolls back. With a counter, a rolled-back transaction that had
-- read the graph under its own (never committed) number could leave it cached under the number the
-- next committed change would get, and servers would take that graph for the committed one.
CREATE SEQUENCE "cmdb_version_seq";
SELECT setval('cmdb_version_seq', (SELECT "version" + 1 FROM "cmdb_version" WHERE "id" = 1));

CREATE OR REPLACE FUNCTION "bump_cmdb_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "cmdb_version" SET "version" = nextval('cmdb_version_seq') WHERE "id" = 1;
  RETURN NULL;
END
$$;
