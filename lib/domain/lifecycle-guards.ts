import { requiredApprovals } from "./approval-policy";
import type { ChangeAction } from "./change-actions";
import type { ChangeFacts } from "./change-facts";
import { openItems } from "./checklist";
import { evaluateVotes } from "./evaluate-votes";
import { outsideWindowRefusal } from "./implementation-window";
import { isUnsuccessfulOutcome, type ImplementationOutcome } from "./implementation-outcomes";
import { RISK_LEVEL_LABELS, riskRank } from "./risk-levels";
import { missingForSubmit } from "./submit-requirements";

/** What an action carries besides the change: the clock, and the reason or outcome some actions need. */
export type ActionInput = { now: Date; reason?: string | null; outcome?: ImplementationOutcome | null };

type Guard = (change: ChangeFacts, input: ActionInput) => string | readonly string[] | null | false;

const titles = (items: readonly { title: string }[]) => items.map((i) => i.title).join(", ");

const submitFields: Guard = (c, input) => missingForSubmit(c, input.now).map((m) => m.message);

const riskAssessed: Guard = (c) => c.risk === null && "The risk has not been assessed yet.";

// A standard change is authorized by its template only while it stays inside it.
const insideTemplate: Guard = (c) => {
  const t = c.template;
  if (c.type !== "standard" || !t) return null;
  if (t.status !== "approved")
    return [`The template "${t.title}" (version ${t.version}) is ${t.status}, not approved; choose an approved template.`];
  const outside = " File it as a normal change instead.";
  const refusals: string[] = [];
  if (c.risk && riskRank(c.risk.level) > riskRank(t.riskCeiling)) {
    refusals.push(
      `The risk (${RISK_LEVEL_LABELS[c.risk.level].toLowerCase()}) is above the template's ceiling (${RISK_LEVEL_LABELS[t.riskCeiling].toLowerCase()}).${outside}`,
    );
  }
  const extraCis = c.affectedCiIds.filter((id) => !t.ciIds.includes(id)).length;
  if (extraCis > 0)
    refusals.push(`${extraCis} of the configuration items ${extraCis === 1 ? "is" : "are"} not covered by the template.${outside}`);
  const uncovered = openItems(c);
  if (uncovered.length > 0) refusals.push(`The template does not cover these checklist items: ${titles(uncovered)}.${outside}`);
  return refusals;
};

const noFreezeConflict: Guard = (c) => {
  // Emergencies may run inside a freeze; major changes never do, exception or not.
  if (c.type === "emergency" || !c.insideFreeze) return null;
  if (c.type === "major") return "Major changes are never scheduled inside a change freeze; move the planned window.";
  return (
    !c.freezeExceptionGranted &&
    "The planned window falls inside a change freeze; move it, or ask the change manager and a security reviewer for a freeze exception."
  );
};

const approvalsSatisfied: Guard = (c) => {
  const evaluation = evaluateVotes(requiredApprovals(c), c.votes, c);
  return evaluation.status !== "satisfied" && evaluation.summary;
};

const checklistBeforeAuthorization: Guard = (c) => {
  const open = openItems(c, "before_authorization");
  return open.length > 0 && `These checklist items still need a sign-off or waiver: ${titles(open)}.`;
};

const preImplementationSigned: Guard = (c) => {
  const open = openItems(c, "pre_implementation");
  return open.length > 0 && `These items must be signed before implementation starts: ${titles(open)}.`;
};

const insideWindowOrExplained: Guard = (c, input) => outsideWindowRefusal(c, input.now, input.reason);

const outcomeGiven: Guard = (_c, input) =>
  !input.outcome && "Record the outcome: successful, successful with issues, failed or rolled back.";

const reviewDone: Guard = (c) => {
  const r = c.review;
  if (!r) return "Record the post-implementation review first.";
  const failed = c.outcome !== null && isUnsuccessfulOutcome(c.outcome);
  const unconfirmed = [
    !r.worksAsIntended && !failed && "the change works as intended",
    !r.securityControlsInPlace && "security controls are still in place",
    !r.monitoringCovers && "monitoring covers the change",
    !r.documentationUpdated && "documentation is updated",
  ].filter((x): x is string => typeof x === "string");
  return unconfirmed.length > 0 && `The post-implementation review must confirm that ${unconfirmed.join(", ")}.`;
};

const rootCauseRecorded: Guard = (c) => {
  if ((c.rootCause ?? "").trim() !== "") return null;
  if (c.type === "emergency") return "Record the root cause that made this emergency change necessary.";
  return c.outcome !== null && isUnsuccessfulOutcome(c.outcome) && "Record the root cause of the failed or rolled-back implementation.";
};

const securityValidation: Guard = (c) =>
  c.type === "emergency" &&
  c.review !== null &&
  (c.review.securityValidation ?? "").trim() === "" &&
  "Record the retrospective security validation (log review and access-rights audit).";

const checklistComplete: Guard = (c) => {
  const open = openItems(c);
  return open.length > 0 && `These checklist items are still open: ${titles(open)}.`;
};

/** Every guard per action (domain.md, Lifecycle); each failing guard gives one plain-words reason. */
export const ACTION_GUARDS = {
  // Standard goes straight to scheduled and emergency to authorization, so their submit carries those guards.
  submit: [
    submitFields,
    (c, i) => c.type !== "normal" && c.type !== "major" && riskAssessed(c, i),
    insideTemplate,
    (c, i) => c.type === "standard" && noFreezeConflict(c, i),
  ],
  start_assessment: [],
  request_authorization: [riskAssessed, checklistBeforeAuthorization],
  schedule: [riskAssessed, approvalsSatisfied, noFreezeConflict],
  start_implementation: [(c, i) => c.type === "emergency" && approvalsSatisfied(c, i), preImplementationSigned, insideWindowOrExplained],
  record_outcome: [outcomeGiven],
  close: [reviewDone, securityValidation, rootCauseRecorded, checklistComplete],
  reject: [],
  return_for_rework: [],
  cancel: [],
  withdraw: [],
} as const satisfies Record<ChangeAction, readonly Guard[]>;

export function guardRefusals(change: ChangeFacts, action: ChangeAction, input: ActionInput): string[] {
  const guards: readonly Guard[] = ACTION_GUARDS[action];
  return guards.flatMap((guard) => {
    const result = guard(change, input);
    if (!result) return [];
    return typeof result === "string" ? [result] : [...result];
  });
}
