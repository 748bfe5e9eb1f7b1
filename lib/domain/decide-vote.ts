import { requiredApprovals } from "./approval-policy";
import type { ApproverFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS } from "./change-states";
import { decideFrom, type Decision } from "./decision";
import { ROLE_LABELS } from "./roles";
import { partyOf, segregationRefusal, serviceAccountRefusal } from "./segregation-of-duties";
import type { Vote } from "./vote";

export type VoteRequest = Omit<Vote, "voterId" | "onBehalfOf">;

/** The person a delegate votes for, as loaded now (roles apply at once), and whether the delegation holds now. */
export type Principal = ApproverFacts & { name: string; delegationActive: boolean };

/** Whether this person already has a vote this round: their own, or one cast by them or for them. */
function hasVoted(change: ChangeFacts, personId: string): boolean {
  return change.votes.some((v) => v.voterId === personId || v.onBehalfOf === personId);
}

function principalPartyRefusal(change: ChangeFacts, principal: Principal): string | null {
  const party = partyOf(change, principal.id);
  return party ? `${principal.name} is the ${party} of this change, so no vote can be cast for them on it.` : null;
}

/**
 * May this person cast this vote on the change, in the current round, for themselves or (with
 * `principal`) on behalf of the delegator? A delegate passes the same segregation-of-duties rules
 * as the delegator, and each person counts once: a delegate who votes for someone casts no vote
 * of their own in that round.
 */
export function decideVote(change: ChangeFacts, actor: ApproverFacts, vote: VoteRequest, principal?: Principal): Decision {
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
  const holder = principal ?? actor;
  return decideFrom(
    [
      principal && !principal.delegationActive && `You are not ${principal.name}'s delegate at this time.`,
      principal && serviceAccountRefusal(principal, "have a vote cast for it"),
      !holder.roles.includes(vote.role) &&
        (principal
          ? `${principal.name} does not hold the ${ROLE_LABELS[vote.role]} role.`
          : `You do not hold the ${ROLE_LABELS[vote.role]} role.`),
      !requirement.rules.some((r) => r.role === vote.role) &&
        `This change does not need a ${ROLE_LABELS[vote.role]} vote. ${requirement.summary}`,
      segregationRefusal(change, actor.id, "vote on it"),
      principal && principalPartyRefusal(change, principal),
      hasVoted(change, actor.id) && "You already voted in this approval round; one vote per person.",
      principal && hasVoted(change, principal.id) && `${principal.name} already has a vote in this approval round; one vote per person.`,
      vote.decision === "reject" && comment === "" && "Give a reason for rejecting the change.",
    ],
    () => ({
      action: "change.vote_cast",
      from: change.state,
      to: change.state,
      reason: comment === "" ? null : comment,
      details: {
        role: vote.role,
        decision: vote.decision,
        round: change.approvalRound,
        ...(principal ? { onBehalfOf: principal.id, onBehalfOfName: principal.name } : {}),
      },
    }),
  );
}
