import { can } from "./capabilities";
import type { ActorFacts, ApproverFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, type ChangeState } from "./change-states";
import { decideFrom, type Decision } from "./decision";
import { ROLE_LABELS } from "./roles";
import { segregationRefusal, serviceAccountRefusal } from "./segregation-of-duties";

/** A stored freeze exception: who asked, for which window, who approved so far. */
export type StoredFreezeException = {
  requestedById: string;
  windowStart: Date;
  windowEnd: Date;
  managerApproverId: string | null;
  securityApproverId: string | null;
};

export const EXCEPTION_APPROVER_ROLES = ["change_manager", "security_reviewer"] as const;
export type ExceptionApproverRole = (typeof EXCEPTION_APPROVER_ROLES)[number];

// Before implementation: a freeze declared after scheduling also needs an exception (or a new window).
const OPEN_STATES = ["draft", "submitted", "assessment", "authorization", "scheduled"] as const satisfies readonly ChangeState[];

function stateRefusal(change: ChangeFacts): string | null {
  if ((OPEN_STATES as readonly ChangeState[]).includes(change.state)) return null;
  return `A freeze exception is only possible before implementation starts; this change is ${CHANGE_STATE_LABELS[change.state].toLowerCase()}.`;
}

function sameWindow(change: ChangeFacts, exception: StoredFreezeException): boolean {
  return (
    change.plannedStart?.getTime() === exception.windowStart.getTime() && change.plannedEnd?.getTime() === exception.windowEnd.getTime()
  );
}

export function isExceptionGranted(exception: StoredFreezeException | null): boolean {
  return exception !== null && exception.managerApproverId !== null && exception.securityApproverId !== null;
}

/** May the actor ask for a freeze exception for the change's planned window? Its requester or a change manager may. */
export function decideRequestFreezeException(
  change: ChangeFacts,
  actor: ActorFacts,
  reason: string,
  existing: StoredFreezeException | null,
): Decision {
  const state = stateRefusal(change);
  if (state) return { allowed: false, reasons: [state] };
  if (change.type === "emergency")
    return { allowed: false, reasons: ["Emergency changes may run inside a freeze; no exception is needed."] };
  if (change.type === "major")
    return { allowed: false, reasons: ["Major changes are never scheduled inside a freeze, exception or not; move the planned window."] };
  if (!change.insideFreeze || !change.plannedStart || !change.plannedEnd)
    return { allowed: false, reasons: ["The planned window is not inside a freeze; no exception is needed."] };
  const isRequester = actor.id === change.requesterId && can(actor.roles, "change.request");
  return decideFrom(
    [
      !isRequester &&
        !can(actor.roles, "change.manage") &&
        "Only the change's requester or a change manager can ask for a freeze exception.",
      reason.trim() === "" && "Say why the change cannot wait until the freeze ends.",
      existing !== null &&
        sameWindow(change, existing) &&
        (isExceptionGranted(existing)
          ? "A freeze exception for this window is already granted."
          : "A freeze exception for this window is already requested; it awaits its approvals."),
    ],
    () => ({
      action: "change.freeze_exception_requested",
      from: change.state,
      to: change.state,
      reason: reason.trim(),
      details: {
        windowStart: change.plannedStart!.toISOString(),
        windowEnd: change.plannedEnd!.toISOString(),
        replacesEarlierRequest: existing !== null,
      },
    }),
  );
}

/**
 * May the actor approve the exception in `role`? A change manager and a security reviewer, two
 * different people, neither a party to the change nor the one who asked (domain.md, segregation of duties).
 */
export function decideApproveFreezeException(
  change: ChangeFacts,
  actor: ApproverFacts,
  role: ExceptionApproverRole,
  exception: StoredFreezeException | null,
): Decision {
  const notPerson = serviceAccountRefusal(actor, "approve a freeze exception");
  if (notPerson) return { allowed: false, reasons: [notPerson] };
  const state = stateRefusal(change);
  if (state) return { allowed: false, reasons: [state] };
  if (!exception) return { allowed: false, reasons: ["No freeze exception has been asked for on this change."] };
  if (!sameWindow(change, exception))
    return {
      allowed: false,
      reasons: ["The change was rescheduled after the exception was asked for; it must be asked for again for the new window."],
    };
  const mine = role === "change_manager" ? exception.managerApproverId : exception.securityApproverId;
  const theirs = role === "change_manager" ? exception.securityApproverId : exception.managerApproverId;
  const label = ROLE_LABELS[role].toLowerCase();
  return decideFrom(
    [
      !actor.roles.includes(role) && `Only a ${label} can give this approval.`,
      segregationRefusal(change, actor.id, "approve its freeze exception"),
      actor.id === exception.requestedById && "You asked for this exception; someone else must approve it.",
      mine !== null && `A ${label} has already approved this exception.`,
      theirs === actor.id && "You already approved this exception in your other role; the second approval must come from another person.",
    ],
    () => ({
      action: "change.freeze_exception_approved",
      from: change.state,
      to: change.state,
      reason: null,
      details: {
        role,
        granted: theirs !== null,
        windowStart: exception.windowStart.toISOString(),
        windowEnd: exception.windowEnd.toISOString(),
      },
    }),
  );
}
