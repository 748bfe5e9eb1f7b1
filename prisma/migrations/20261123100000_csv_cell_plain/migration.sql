-- csv_cell with plain string tests instead of regular expressions (a third of the cost per cell
-- in the bench); the rules are unchanged and tests/integration/export-formats holds them to csvField.
CREATE OR REPLACE FUNCTION "csv_cell"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL THEN ''
    WHEN left(v, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN
      CASE WHEN strpos(v, ',') + strpos(v, '"') + strpos(v, E'\n') + strpos(v, E'\r') > 0
        THEN '"''' || replace(v, '"', '""') || '"' ELSE '''' || v END
    WHEN strpos(v, ',') + strpos(v, '"') + strpos(v, E'\n') + strpos(v, E'\r') > 0 THEN '"' || replace(v, '"', '""') || '"'
    ELSE v
  END
$$;
