// The gate's scan rule, until the change's own scan policy (issue 32 item 1: evaluateScanPolicy in
// scan-policy.ts) replaces it at merge: one function, so pointing the gate at that policy is one edit.

/** What the gate reads of an artifact's vulnerability scan; null counts where no scan was recorded. */
export type ScannedArtifact = {
  name: string;
  version: string;
  digest: string;
  scannedAt: Date | null;
  scanCritical: number | null;
  scanKnownExploited: number | null;
};

/**
 * Why an artifact may not go to this environment, or null when it may. Production's default
 * policy: a recorded scan with no critical and no known-exploited finding. Other environments
 * have no scan policy by default.
 */
export function gateScanFinding(artifact: ScannedArtifact, environment: string): string | null {
  if (environment !== "production") return null;
  const what = `${artifact.name} ${artifact.version}`;
  if (!artifact.scannedAt || artifact.scanCritical === null || artifact.scanKnownExploited === null)
    return `${what} has no vulnerability scan recorded; production takes only scanned artifacts.`;
  const found = [
    artifact.scanCritical > 0 && `${artifact.scanCritical} critical`,
    artifact.scanKnownExploited > 0 && `${artifact.scanKnownExploited} known-exploited`,
  ].filter(Boolean);
  return found.length ? `${what} has findings production allows none of: ${found.join(", ")}.` : null;
}

/** The checklist item a security reviewer waives to let an artifact past the scan policy (with a compensating control). */
export const SCAN_POLICY_CHECKLIST_KEY = "vulnerability_scan";
