import { requiredApprovals } from "./approval-policy";
import type { ApproverFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS } from "./change-states";
import { decideFrom, type Decision } from "./decision";
import { ROLE_LABELS } from "./roles";
import { segregationRefusal, serviceAccountRefusal } from "./segregation-of-duties";
import type { Vote } from "./vote";

export type VoteRequest = Omit<Vote, "voterId">;

/** May this person cast this vote on the change, in the current round? */
export function decideVote(change: ChangeFacts, actor: ApproverFacts, vote: VoteRequest): Decision {
  const notPerson = serviceAccountRefusal(actor, "vote on a change");
  if (notPerson) return { allowed: false, reasons: [notPerson] };
  if (change.state !== "authorization") {
    const why =
      change.type === "standard"
        ? "Standard changes are pre-approved by their template; there is nothing to vote on."
        : `Votes are taken while a change awaits authorization; this one is ${CHANGE_STATE_LABELS[change.state].toLowerCase()}.`;
    return { allowed: false, reasons: [why] };
  }
  const requirement = requiredApprovals(change);
  const comment = vote.comment.trim();
  return decideFrom(
    [
      !actor.roles.includes(vote.role) && `You do not hold the ${ROLE_LABELS[vote.role]} role.`,
      !requirement.rules.some((r) => r.role === vote.role) &&
        `This change does not need a ${ROLE_LABELS[vote.role]} vote. ${requirement.summary}`,
      segregationRefusal(change, actor.id, "vote on it"),
      change.votes.some((v) => v.voterId === actor.id) && "You already voted in this approval round; one vote per person.",
      vote.decision === "reject" && comment === "" && "Give a reason for rejecting the change.",
    ],
    () => ({
      action: "change.vote_cast",
      from: change.state,
      to: change.state,
      reason: comment === "" ? null : comment,
      details: { role: vote.role, decision: vote.decision, round: change.approvalRound },
    }),
  );
}
