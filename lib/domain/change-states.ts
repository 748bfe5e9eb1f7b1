/**
 * The states of a change request. "Returned for rework" is not a state: it is an action that
 * sends the change back to draft and counts as rework.
 */
export const CHANGE_STATES = [
  "draft",
  "submitted",
  "assessment",
  "authorization",
  "scheduled",
  "implementing",
  "review",
  "closed",
  "rejected",
  "cancelled",
] as const;

export type ChangeState = (typeof CHANGE_STATES)[number];

export const CHANGE_STATE_LABELS = {
  draft: "Draft",
  submitted: "Submitted",
  assessment: "Assessment",
  authorization: "Authorization",
  scheduled: "Scheduled",
  implementing: "Implementing",
  review: "Review",
  closed: "Closed",
  rejected: "Rejected",
  cancelled: "Cancelled",
} as const satisfies Record<ChangeState, string>;

/** Nothing leaves these states: history is final. */
export const TERMINAL_STATES = ["closed", "rejected", "cancelled"] as const satisfies readonly ChangeState[];

export function isTerminalState(state: ChangeState): boolean {
  return (TERMINAL_STATES as readonly ChangeState[]).includes(state);
}

export function isChangeState(value: string): value is ChangeState {
  return (CHANGE_STATES as readonly string[]).includes(value);
}
