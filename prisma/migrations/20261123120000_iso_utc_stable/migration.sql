-- to_char is STABLE, so an IMMUTABLE iso_utc was never inlined into the export's query: every
-- time it wrote cost a SQL function call (the bench showed it). STABLE lets the planner inline it.
CREATE OR REPLACE FUNCTION "iso_utc"(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
