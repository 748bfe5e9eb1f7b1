-- The risk score counts failed or rolled-back changes on the change's CIs in the last 90 days
-- (lib/server/changes/assess-risk.ts), at every submission and assessment and in a draft's risk
-- preview. It found them from the CIs: every change that ever touched them, over all of history
-- (191 at 100,000 changes for two CIs, read from 104 pages; ten times that at a million). This
-- index holds only failures, by implementation time: the count walks the last 90 days' failures
-- and asks, for each, whether it touched one of the CIs (change_cis' primary key).
CREATE INDEX "change_requests_failed_implemented_at_idx" ON "change_requests" ("implemented_at") INCLUDE ("id")
  WHERE "outcome" IN ('failed', 'rolled_back');
