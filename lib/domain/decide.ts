import { CHANGE_ACTION_EVENTS, CHANGE_ACTION_LABELS, type ChangeAction } from "./change-actions";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, isTerminalState } from "./change-states";
import { CHANGE_TYPE_LABELS } from "./change-types";
import { can } from "./capabilities";
import { decideFrom, type Decision } from "./decision";
import { windowTiming } from "./implementation-window";
import { guardRefusals, type ActionInput } from "./lifecycle-guards";
import { segregationRefusal } from "./segregation-of-duties";
import { stepFor, TRANSITIONS, type Performer } from "./transition-table";

export type { ActionInput } from "./lifecycle-guards";

const WHAT = {
  submit: "submit this change",
  start_assessment: "assess this change",
  request_authorization: "send this change for authorization",
  schedule: "authorize and schedule this change",
  start_implementation: "start implementing this change",
  record_outcome: "record the outcome of this change",
  close: "close this change",
  reject: "reject this change",
  return_for_rework: "return this change for rework",
  cancel: "cancel this change",
  withdraw: "withdraw this change",
} as const satisfies Record<ChangeAction, string>;

// Gatekeeping steps a party to the change may not take on it, even as change manager.
const INDEPENDENT = {
  start_assessment: "assess it",
  request_authorization: "send it for authorization",
  schedule: "authorize it",
  close: "review and close it",
} as const;

const REASON_PROMPTS = {
  reject: "Give a reason for the rejection.",
  return_for_rework: "Say what needs rework.",
  cancel: "Give a reason for cancelling.",
} as const;

/**
 * The lifecycle's one decision: may this actor take this action on this change now?
 * Refusals name every failed rule in words the requester understands.
 */
export function decide(change: ChangeFacts, action: ChangeAction, actor: ActorFacts, input: ActionInput): Decision {
  const state = CHANGE_STATE_LABELS[change.state].toLowerCase();
  if (isTerminalState(change.state)) return { allowed: false, reasons: [`This change is ${state}; nothing more can happen to it.`] };
  const step = stepFor(change.type, action);
  if (!step)
    return {
      allowed: false,
      reasons: [`${CHANGE_TYPE_LABELS[change.type]} changes do not take the step "${CHANGE_ACTION_LABELS[action]}".`],
    };
  if (!step.from.includes(change.state)) {
    const from = step.from.map((s) => CHANGE_STATE_LABELS[s].toLowerCase()).join(" or ");
    return {
      allowed: false,
      reasons: [`Not possible while the change is ${state}: "${CHANGE_ACTION_LABELS[action]}" applies to ${from} changes.`],
    };
  }
  const transition = TRANSITIONS[action];
  const reason = input.reason?.trim() || null;
  const independent = action in INDEPENDENT ? INDEPENDENT[action as keyof typeof INDEPENDENT] : null;
  return decideFrom(
    [
      performerRefusal(change, actor, transition.performer, WHAT[action]),
      independent && segregationRefusal(change, actor.id, independent),
      transition.reasonRequired && !reason && REASON_PROMPTS[action as keyof typeof REASON_PROMPTS],
      ...guardRefusals(change, action, input),
    ],
    () => ({ action: CHANGE_ACTION_EVENTS[action], from: change.state, to: step.to, reason, details: details(change, action, input) }),
  );
}

function performerRefusal(change: ChangeFacts, actor: ActorFacts, performer: Performer, what: string): string | null {
  switch (performer) {
    case "own_requester":
      if (actor.id !== change.requesterId) return `Only the requester can ${what}.`;
      return can(actor.roles, "change.request") ? null : "Your account may no longer file or withdraw changes.";
    case "change_manager":
      return can(actor.roles, "change.manage") ? null : `Only a change manager can ${what}.`;
    case "assigned_implementer":
      if (change.implementerId === null) return "No implementer is assigned to this change yet; the change manager assigns one.";
      if (actor.id !== change.implementerId) return `Only the assigned implementer can ${what}.`;
      return can(actor.roles, "change.implement") ? null : "You no longer hold the implementer role.";
  }
}

function details(change: ChangeFacts, action: ChangeAction, input: ActionInput): Record<string, string | number | boolean | null> {
  switch (action) {
    case "submit":
      // Each submission of a change that needs votes opens a new approval round.
      return change.type === "standard"
        ? { templateId: change.template?.id ?? null, templateVersion: change.template?.version ?? null }
        : { round: change.approvalRound + 1 };
    case "return_for_rework":
      return { rework: true, round: change.approvalRound };
    case "record_outcome":
      return { outcome: input.outcome ?? null };
    case "schedule":
      return { round: change.approvalRound };
    case "start_implementation": {
      const timing = windowTiming(change, input.now);
      return timing === "before" || timing === "after" ? { outsideWindow: timing } : {};
    }
    default:
      return {};
  }
}
