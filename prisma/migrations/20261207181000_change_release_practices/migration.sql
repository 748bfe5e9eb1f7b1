-- Release practices on a change (issue 32): the artifact list replaces the single digest, the
-- backout test is recorded by someone other than the requester, with rollback criteria and the
-- version the release replaces; a waiver may carry an expiry (the scan policy's must).
-- backout_tested stays the requester's own statement; only backout_tested_by_id/_at record a test.

-- The old single digest becomes a release_artifacts row (name and version unknown: marked so).
INSERT INTO "release_artifacts" ("change_id", "name", "version", "digest")
SELECT c."id", 'artifact', 'unknown', c."artifact_digest"
FROM "change_requests" c
WHERE c."artifact_digest" ~ '^sha256:[0-9a-f]{64}$'
ON CONFLICT ("change_id", "digest") DO NOTHING;

ALTER TABLE "change_requests" DROP COLUMN "artifact_digest";

ALTER TABLE "change_requests"
  ADD COLUMN "backout_tested_by_id" UUID,
  ADD COLUMN "backout_tested_at" TIMESTAMPTZ(3),
  ADD COLUMN "rollback_criteria" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "replaces_version" TEXT NOT NULL DEFAULT '',
  ADD CONSTRAINT "change_requests_backout_tested_by_id_fkey" FOREIGN KEY ("backout_tested_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  -- Who and when go together; the requester's own word does not count (the use case holds who).
  ADD CONSTRAINT "change_requests_backout_tested_who_when" CHECK (("backout_tested_by_id" IS NULL) = ("backout_tested_at" IS NULL));

ALTER TABLE "checklist_items" ADD COLUMN "waiver_expires_at" TIMESTAMPTZ(3);
