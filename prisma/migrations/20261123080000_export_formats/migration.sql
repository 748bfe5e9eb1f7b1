-- The auditors' exports write their lines in the database, so a row leaves PostgreSQL as one
-- finished line and the server only passes bytes on (docs/performance.md). These two helpers are
-- the SQL side of lib/domain/csv.ts and of Date.toISOString(); tests/integration/export-formats
-- checks that both sides agree.

-- One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled; a
-- cell that a spreadsheet would run as a formula (= + - @ tab CR) gets a leading apostrophe.
CREATE FUNCTION "csv_cell"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t ~ '[",\r\n]' THEN '"' || replace(t, '"', '""') || '"' ELSE t END
  FROM (SELECT CASE WHEN v IS NULL THEN '' WHEN v ~ '^[=+\-@\t\r]' THEN '''' || v ELSE v END) AS cell(t)
$$;

-- A time as JavaScript's toISOString() writes it: UTC, milliseconds, "Z".
CREATE FUNCTION "iso_utc"(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
