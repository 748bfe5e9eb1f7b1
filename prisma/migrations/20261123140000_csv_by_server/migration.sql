-- The exports' CSV cells are now written by the server from the raw text columns
-- (lib/server/exports/binary-copy-lines.ts), which also neutralises formulas: csv_text is unused.
DROP FUNCTION "csv_text"(TEXT);
