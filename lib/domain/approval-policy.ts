import type { ChangeFlags } from "./change-flags";
import type { ChangeType } from "./change-types";
import { RISK_LEVEL_LABELS, type RiskLevel } from "./risk-levels";
import type { ApproverRole } from "./vote";

/** How many CAB members make a quorum. */
export const CAB_QUORUM = 3;

/** One kind of approval a change needs, and why, in words the UI shows ("why these approvers"). */
export type ApprovalRule = { role: ApproverRole; count: number; reason: string };

export type ApprovalRequirement = {
  /** Standard changes: authorized by their approved template, no votes. */
  preApproved: boolean;
  rules: ApprovalRule[];
  summary: string;
};

export type PolicyInput = {
  type: ChangeType;
  risk: { level: RiskLevel; summary: string } | null;
  flags: ChangeFlags;
};

const WHO = { change_manager: "the change manager", cab_member: "CAB member", security_reviewer: "a security reviewer" } as const;

/** Policy as code: which approvals a change needs from its type, risk level and flags. */
export function requiredApprovals(input: PolicyInput): ApprovalRequirement {
  if (input.type === "standard") return { preApproved: true, rules: [], summary: "Pre-approved through its standard-change template." };
  const rules = baseRules(input);
  const sensitive = sensitiveFlag(input.flags);
  if (sensitive && !rules.some((r) => r.role === "security_reviewer"))
    rules.push({ role: "security_reviewer", count: 1, reason: `${sensitive}: a security reviewer approves` });
  return { preApproved: false, rules, summary: describeRules(rules) };
}

function baseRules({ type, risk }: PolicyInput): ApprovalRule[] {
  if (type === "emergency") {
    return [
      { role: "change_manager", count: 1, reason: "Emergency change (ECAB): the change manager approves for operations" },
      { role: "security_reviewer", count: 1, reason: "Emergency change (ECAB): a security reviewer approves for security" },
    ];
  }
  if (type === "major") {
    return [
      { role: "cab_member", count: CAB_QUORUM, reason: `Major change: full CAB quorum of ${CAB_QUORUM}` },
      { role: "security_reviewer", count: 1, reason: "Major change: security review" },
      { role: "change_manager", count: 1, reason: "Major change: management approval by the change manager" },
    ];
  }
  // An unassessed normal change is treated as critical: the policy never errs towards fewer approvals.
  const level = risk?.level ?? "critical";
  const why = risk ? `${RISK_LEVEL_LABELS[level]} risk: ${risk.summary}` : "Risk not assessed yet, so treated as critical";
  switch (level) {
    case "low":
      return [{ role: "change_manager", count: 1, reason: `${why}: the change manager approves` }];
    case "medium":
      return [{ role: "cab_member", count: 2, reason: `${why}: 2 CAB members approve` }];
    case "high":
      return [
        { role: "cab_member", count: CAB_QUORUM, reason: `${why}: CAB quorum of ${CAB_QUORUM}` },
        { role: "security_reviewer", count: 1, reason: `${why}: a security reviewer approves` },
      ];
    case "critical":
      return [
        { role: "cab_member", count: CAB_QUORUM, reason: `${why}: CAB quorum of ${CAB_QUORUM}` },
        { role: "security_reviewer", count: 1, reason: `${why}: a security reviewer approves` },
        { role: "change_manager", count: 1, reason: `${why}: the change manager approves` },
      ];
  }
}

// Flags that warrant a security reviewer's approval even where the risk level alone would not.
function sensitiveFlag(flags: ChangeFlags): string | null {
  if (flags.touchesAuth) return "Touches authentication or access control";
  if (flags.newExternalInterface) return "Adds an external interface or data flow";
  if (flags.regulatedData) return "Handles regulated data";
  return null;
}

export function describeRules(rules: readonly ApprovalRule[]): string {
  if (rules.length === 0) return "No approvals needed.";
  const parts = rules.map((r) => (r.role === "cab_member" ? `${r.count} ${WHO.cab_member}${r.count === 1 ? "" : "s"}` : WHO[r.role]));
  return `Needs approval from ${parts.join(", ")}.`;
}
