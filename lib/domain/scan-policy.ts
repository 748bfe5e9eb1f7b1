import { z } from "zod";

// The vulnerability scan policy (issue 32): which findings a release artifact may carry into an
// environment, by the environment and criticality of the CIs a change touches. Plain functions:
// the checklist item and the deployment gate both evaluate it with the same rule.

/** The scan summary an artifact carries; null counts mean the scanner did not report them. */
export type ArtifactScan = {
  scanner: string | null;
  scannedAt: Date | null;
  critical: number | null;
  high: number | null;
  medium: number | null;
  low: number | null;
  knownExploited: number | null;
};

/** What the policy looks at of an artifact. */
export type ScanPolicyArtifact = { name: string; version: string; digest: string; scan: ArtifactScan };

/** What the policy looks at of a CI. */
export type ScanPolicyCi = { name: string; environment: string; criticality: number };

/** Most findings allowed per severity; null means no limit. */
export type ScanLimits = {
  maxCritical: number | null;
  maxHigh: number | null;
  maxMedium: number | null;
  maxLow: number | null;
  maxKnownExploited: number | null;
  /** An artifact with no scan summary fails when true. */
  requireScan: boolean;
};

/** One rule: for CIs in `environment` ("*" for any) with criticality >= minCriticality, these limits. */
export type ScanPolicyRule = { environment: string; minCriticality: number } & ScanLimits;

/** The policy: its rules; every rule that matches a CI applies, the strictest limit wins. */
export type ScanPolicy = { rules: readonly ScanPolicyRule[] };

/** Default (issue 32): production, any criticality: no critical and no known-exploited finding, and a scan. */
export const DEFAULT_SCAN_POLICY: ScanPolicy = {
  rules: [
    {
      environment: "production",
      minCriticality: 1,
      maxCritical: 0,
      maxHigh: null,
      maxMedium: null,
      maxLow: null,
      maxKnownExploited: 0,
      requireScan: true,
    },
  ],
};

/** Why an artifact fails the policy; `code` is stable for machines (the gate's reasons). */
export type ScanViolation = {
  code: "scan_missing" | "scan_critical" | "scan_high" | "scan_medium" | "scan_low" | "scan_known_exploited";
  digest: string;
  artifact: string;
  message: string;
};

export type ScanPolicyResult = {
  /** Whether any rule matched the change's CIs; a change no rule covers passes. */
  applies: boolean;
  passes: boolean;
  /** The combined limits that applied (strictest of the matching rules), null when none applied. */
  limits: ScanLimits | null;
  /** The environments whose rules applied, for the sentence a page shows. */
  environments: string[];
  violations: ScanViolation[];
};

/** The result where no rule applies (no artifacts bound for a covered environment). */
export const SCAN_POLICY_NOT_APPLICABLE: ScanPolicyResult = {
  applies: false,
  passes: true,
  limits: null,
  environments: [],
  violations: [],
};

const SEVERITIES = [
  ["critical", "maxCritical", "scan_critical", "critical"],
  ["high", "maxHigh", "scan_high", "high"],
  ["medium", "maxMedium", "scan_medium", "medium"],
  ["low", "maxLow", "scan_low", "low"],
  ["knownExploited", "maxKnownExploited", "scan_known_exploited", "known-exploited"],
] as const;

const stricter = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

function ruleMatches(rule: ScanPolicyRule, ci: ScanPolicyCi): boolean {
  const env = rule.environment.trim().toLowerCase();
  return (env === "*" || env === ci.environment.trim().toLowerCase()) && ci.criticality >= rule.minCriticality;
}

/** The limits that apply to a change touching these CIs: the strictest of every matching rule, or null. */
export function scanLimitsFor(policy: ScanPolicy, cis: readonly ScanPolicyCi[]): { limits: ScanLimits | null; environments: string[] } {
  let limits: ScanLimits | null = null;
  const environments = new Set<string>();
  for (const ci of cis) {
    for (const rule of policy.rules) {
      if (!ruleMatches(rule, ci)) continue;
      environments.add(ci.environment.toLowerCase());
      limits = limits
        ? {
            maxCritical: stricter(limits.maxCritical, rule.maxCritical),
            maxHigh: stricter(limits.maxHigh, rule.maxHigh),
            maxMedium: stricter(limits.maxMedium, rule.maxMedium),
            maxLow: stricter(limits.maxLow, rule.maxLow),
            maxKnownExploited: stricter(limits.maxKnownExploited, rule.maxKnownExploited),
            requireScan: limits.requireScan || rule.requireScan,
          }
        : {
            maxCritical: rule.maxCritical,
            maxHigh: rule.maxHigh,
            maxMedium: rule.maxMedium,
            maxLow: rule.maxLow,
            maxKnownExploited: rule.maxKnownExploited,
            requireScan: rule.requireScan,
          };
    }
  }
  return { limits, environments: [...environments].sort() };
}

const hasScan = (s: ArtifactScan) =>
  s.scannedAt !== null || SEVERITIES.some(([field]) => s[field] !== null) || (s.scanner ?? "").trim() !== "";

/**
 * Does every artifact hold the scan policy for the CIs it goes to? Shared by the checklist item
 * and the deployment gate. An artifact with no summary fails where a scan is required; a count the
 * scanner did not report fails any finite limit, since an unknown count cannot be shown to hold.
 */
export function evaluateScanPolicy(
  artifacts: readonly ScanPolicyArtifact[],
  policy: ScanPolicy,
  cis: readonly ScanPolicyCi[],
): ScanPolicyResult {
  const { limits, environments } = scanLimitsFor(policy, cis);
  if (!limits) return SCAN_POLICY_NOT_APPLICABLE;
  const violations: ScanViolation[] = [];
  for (const a of artifacts) {
    const label = `${a.name} ${a.version}`.trim();
    if (!hasScan(a.scan)) {
      if (limits.requireScan)
        violations.push({
          code: "scan_missing",
          digest: a.digest,
          artifact: label,
          message: `${label} has no vulnerability scan summary.`,
        });
      continue;
    }
    for (const [field, limitKey, code, words] of SEVERITIES) {
      const max = limits[limitKey];
      if (max === null) continue;
      const found = a.scan[field];
      if (found === null)
        violations.push({
          code,
          digest: a.digest,
          artifact: label,
          message: `${label}: the scan does not report ${words} findings (at most ${max} allowed).`,
        });
      else if (found > max)
        violations.push({
          code,
          digest: a.digest,
          artifact: label,
          message: `${label} has ${found} ${words} finding${found === 1 ? "" : "s"} (at most ${max} allowed in ${environments.join(", ")}).`,
        });
    }
  }
  return { applies: true, passes: violations.length === 0, limits, environments, violations };
}

// Stored as the app setting "scan_policy"; an admin edits it. Bounded so a stored value stays small.
const limit = z.number().int().min(0).max(1_000_000).nullable();

export const scanPolicyRuleSchema = z.object({
  environment: z
    .string()
    .trim()
    .min(1, "Name an environment, or * for any.")
    .max(60, "An environment name is at most 60 characters.")
    .transform((s) => s.toLowerCase()),
  minCriticality: z.number().int().min(1, "Criticality runs from 1 to 4.").max(4, "Criticality runs from 1 to 4."),
  maxCritical: limit,
  maxHigh: limit,
  maxMedium: limit,
  maxLow: limit,
  maxKnownExploited: limit,
  requireScan: z.boolean(),
});

export const scanPolicySchema = z.object({ rules: z.array(scanPolicyRuleSchema).max(50, "At most 50 rules.") });

/** The stored policy, or the default when none is stored or what is stored does not parse. */
export function parseStoredScanPolicy(value: unknown): ScanPolicy {
  if (value === null || value === undefined) return DEFAULT_SCAN_POLICY;
  const parsed = scanPolicySchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_SCAN_POLICY;
}

/** "no critical, no known-exploited, scan required" — a rule's limits in words. */
export function describeLimits(l: ScanLimits): string {
  const parts: string[] = [];
  for (const [, key, , words] of SEVERITIES) {
    const max = l[key];
    if (max === null) continue;
    parts.push(max === 0 ? `no ${words}` : `at most ${max} ${words}`);
  }
  if (l.requireScan) parts.push("scan required");
  return parts.length > 0 ? parts.join(", ") : "no limits";
}
