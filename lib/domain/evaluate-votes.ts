import type { ApprovalRequirement, ApprovalRule } from "./approval-policy";
import type { ChangeFacts } from "./change-facts";
import { ROLE_LABELS } from "./roles";
import { partyOf } from "./segregation-of-duties";
import type { Vote } from "./vote";

export type MissingApproval = { role: ApprovalRule["role"]; needed: number; reason: string };

export type VoteEvaluation = {
  status: "satisfied" | "pending" | "rejected";
  /** The votes that count: one per person (a delegate's as the delegator's), none from or for the requester or implementer. */
  approvals: Vote[];
  rejections: Vote[];
  /** A security reviewer's rejection: it stops the change whatever the other votes say. */
  vetoes: Vote[];
  missing: MissingApproval[];
  /** Votes that do not count, and why. */
  ignored: { vote: Vote; why: string }[];
  summary: string;
};

/** Weighs the votes of the current round against what the policy requires. */
export function evaluateVotes(
  requirement: ApprovalRequirement,
  votes: readonly Vote[],
  parties: Pick<ChangeFacts, "requesterId" | "implementerId">,
): VoteEvaluation {
  const counted: Vote[] = [];
  const ignored: VoteEvaluation["ignored"] = [];
  // A delegate's vote counts as the delegator's: both are used up, so neither counts again this round.
  const seen = new Set<string>();
  for (const vote of votes) {
    const people = vote.onBehalfOf ? [vote.voterId, vote.onBehalfOf] : [vote.voterId];
    const party = partyOf(parties, vote.voterId);
    const principalParty = vote.onBehalfOf ? partyOf(parties, vote.onBehalfOf) : null;
    if (party) ignored.push({ vote, why: `cast by the ${party}, who may not approve their own change` });
    else if (principalParty) ignored.push({ vote, why: `cast for the ${principalParty}, who may not approve their own change` });
    else if (people.some((id) => seen.has(id))) ignored.push({ vote, why: "a second vote by the same person in this round" });
    else if (!requirement.rules.some((r) => r.role === vote.role))
      ignored.push({ vote, why: `this change needs no ${ROLE_LABELS[vote.role]} vote` });
    else counted.push(vote);
    for (const id of people) seen.add(id);
  }
  const approvals = counted.filter((v) => v.decision === "approve");
  const rejections = counted.filter((v) => v.decision === "reject");
  const vetoes = rejections.filter((v) => v.role === "security_reviewer");
  const missing = requirement.preApproved
    ? []
    : requirement.rules
        .map((rule) => ({
          role: rule.role,
          needed: rule.count - approvals.filter((v) => v.role === rule.role).length,
          reason: rule.reason,
        }))
        .filter((m) => m.needed > 0);
  const status = vetoes.length > 0 ? "rejected" : missing.length > 0 ? "pending" : "satisfied";
  return { status, approvals, rejections, vetoes, missing, ignored, summary: summarize(status, vetoes, missing) };
}

function summarize(status: VoteEvaluation["status"], vetoes: readonly Vote[], missing: readonly MissingApproval[]): string {
  if (status === "rejected") return `A security reviewer rejected this change: ${vetoes[0]!.comment || "no reason given"}`;
  if (status === "satisfied") return "The approvals the policy requires are in.";
  return `Waiting for ${missing.map((m) => `${m.needed} more ${ROLE_LABELS[m.role]} approval${m.needed === 1 ? "" : "s"}`).join(" and ")}.`;
}
