-- CSV exports now use PostgreSQL's own CSV writer (COPY ... WITH (FORMAT csv)), which quotes a
-- field holding a comma, quote or line break and doubles quotes (RFC 4180; the server turns its
-- line ends into CRLF). What COPY cannot do is neutralise formulas: csv_text does, and turns an
-- empty string into NULL so it is written as an empty cell, as lib/domain/csv.ts writes it.
CREATE FUNCTION "csv_text"(v TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v = '' THEN NULL
    WHEN left(v, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || v
    ELSE v
  END
$$;

DROP FUNCTION "csv_cell"(TEXT);
