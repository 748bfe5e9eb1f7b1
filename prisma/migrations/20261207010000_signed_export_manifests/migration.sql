-- An export's manifest, signed whole with the audit key when the export completes, kept as the
-- exact JSON that was signed: the manifest route serves these bytes, and a later change of any
-- column cannot change what the signature vouches for. Exports finished before have none.
ALTER TABLE "data_exports" ADD COLUMN "manifest" TEXT;
