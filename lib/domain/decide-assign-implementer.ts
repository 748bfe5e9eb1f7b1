import { can } from "./capabilities";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, type ChangeState } from "./change-states";
import { decideFrom, type Decision } from "./decision";
import type { StoredFreezeException } from "./decide-freeze-exception";

const ASSIGNABLE = ["draft", "submitted", "assessment", "authorization", "scheduled"] as const satisfies readonly ChangeState[];

/**
 * May the actor make `candidate` the implementer? Only a change manager, before work starts,
 * and never someone who requested, approved or signed off this change, or approved its freeze
 * exception (segregation of duties). `exception`: the change's stored freeze exception, if any.
 */
export function decideAssignImplementer(
  change: ChangeFacts,
  actor: ActorFacts,
  candidate: ActorFacts,
  exception: Pick<StoredFreezeException, "managerApproverId" | "securityApproverId"> | null,
): Decision {
  if (!(ASSIGNABLE as readonly ChangeState[]).includes(change.state)) {
    return {
      allowed: false,
      reasons: [`The implementer cannot change once the change is ${CHANGE_STATE_LABELS[change.state].toLowerCase()}.`],
    };
  }
  return decideFrom(
    [
      !can(actor.roles, "change.manage") && "Only a change manager can assign the implementer.",
      !candidate.roles.includes("implementer") && "The person chosen does not hold the implementer role.",
      candidate.id === change.requesterId && "The requester cannot implement their own change; choose someone else.",
      change.votes.some((v) => v.voterId === candidate.id && v.decision !== "abstain") &&
        "The person chosen voted on this change; an approver cannot implement it.",
      change.checklist.some((e) => e.byId === candidate.id && e.status !== "pending") &&
        "The person chosen signed off or waived checklist items on this change; they cannot implement it.",
      exception !== null &&
        [exception.managerApproverId, exception.securityApproverId].includes(candidate.id) &&
        "The person chosen approved this change's freeze exception; they cannot implement it.",
    ],
    () => ({
      action: "change.implementer_assigned",
      from: change.state,
      to: change.state,
      reason: null,
      details: { implementerId: candidate.id, previousImplementerId: change.implementerId },
    }),
  );
}
