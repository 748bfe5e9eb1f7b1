import type { Role } from "./roles";

/** The roles whose votes an approval policy can ask for. */
export const APPROVER_ROLES = ["change_manager", "cab_member", "security_reviewer"] as const satisfies readonly Role[];

export type ApproverRole = (typeof APPROVER_ROLES)[number];

export const VOTE_DECISIONS = ["approve", "reject", "abstain"] as const;

export type VoteDecision = (typeof VOTE_DECISIONS)[number];

/** One person's vote in the current approval round, in the role they voted in. */
export type Vote = {
  voterId: string;
  role: ApproverRole;
  decision: VoteDecision;
  /** Empty when none was given; a rejection always has one. */
  comment: string;
  /** Cast by a delegate: the delegator, whose vote it is and as whose it counts. */
  onBehalfOf?: string | null;
};

export function isApproverRole(role: Role): role is ApproverRole {
  return (APPROVER_ROLES as readonly Role[]).includes(role);
}
