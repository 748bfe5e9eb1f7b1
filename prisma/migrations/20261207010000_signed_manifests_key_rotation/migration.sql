-- An export's manifest, signed whole with the audit key when the export completes, kept as the
-- exact JSON that was signed: the manifest route serves these bytes, and a later change of any
-- column cannot change what the signature vouches for. Exports finished before have none.
ALTER TABLE "data_exports" ADD COLUMN "manifest" TEXT;

-- A key rotation's retiring key signs a checkpoint of the rotation event.
ALTER TABLE "audit_checkpoints" DROP CONSTRAINT "audit_checkpoints_reason";
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_reason" CHECK ("reason" IN ('periodic', 'on_demand', 'export', 'key_rotation'));
