/** The named lifecycle actions; each moves a change from one state to another (see TRANSITIONS). */
export const CHANGE_ACTIONS = [
  "submit",
  "start_assessment",
  "request_authorization",
  "schedule",
  "start_implementation",
  "record_outcome",
  "close",
  "reject",
  "return_for_rework",
  "cancel",
  "withdraw",
] as const;

export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export const CHANGE_ACTION_LABELS = {
  submit: "Submit",
  start_assessment: "Start assessment",
  request_authorization: "Send for authorization",
  schedule: "Authorize and schedule",
  start_implementation: "Start implementation",
  record_outcome: "Record outcome",
  close: "Close after review",
  reject: "Reject",
  return_for_rework: "Return for rework",
  cancel: "Cancel",
  withdraw: "Withdraw",
} as const satisfies Record<ChangeAction, string>;

/** The audit event each action writes, in the past tense of what happened. */
export const CHANGE_ACTION_EVENTS = {
  submit: "change.submitted",
  start_assessment: "change.assessment_started",
  request_authorization: "change.authorization_requested",
  schedule: "change.scheduled",
  start_implementation: "change.implementation_started",
  record_outcome: "change.outcome_recorded",
  close: "change.closed",
  reject: "change.rejected",
  return_for_rework: "change.returned_for_rework",
  cancel: "change.cancelled",
  withdraw: "change.withdrawn",
} as const satisfies Record<ChangeAction, string>;

export function isChangeAction(value: string): value is ChangeAction {
  return (CHANGE_ACTIONS as readonly string[]).includes(value);
}
