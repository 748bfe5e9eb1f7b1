import type { ChangeAction } from "./change-actions";
import type { ChangeState } from "./change-states";
import type { ChangeType } from "./change-types";

/** Who may perform an action: the change's own requester, any change manager, or the assigned implementer. */
export type Performer = "own_requester" | "change_manager" | "assigned_implementer";

export type Step = { from: readonly ChangeState[]; to: ChangeState };

export type Transition = {
  performer: Performer;
  /** The action must carry a reason in words (the audit event keeps it). */
  reasonRequired: boolean;
  /** Per change type; a type without a step does not take this action. */
  steps: Partial<Record<ChangeType, Step>>;
};

// Cancel and withdraw are possible any time before implementation starts, which differs by path.
const BEFORE_IMPLEMENTING = {
  standard: ["draft", "scheduled"],
  normal: ["draft", "submitted", "assessment", "authorization", "scheduled"],
  major: ["draft", "submitted", "assessment", "authorization", "scheduled"],
  emergency: ["draft", "authorization"],
} as const satisfies Record<ChangeType, readonly ChangeState[]>;

const toCancelled = (type: ChangeType): Step => ({ from: BEFORE_IMPLEMENTING[type], to: "cancelled" });
const everyType = (step: Step) => ({ standard: step, normal: step, emergency: step, major: step });
const underReview = ["submitted", "assessment", "authorization"] as const;

/**
 * The one transition table (domain.md, Lifecycle):
 * standard: draft → scheduled → implementing → review → closed;
 * emergency: draft → authorization → implementing → review → closed;
 * normal and major: every state. Guards live in lifecycle-guards.ts.
 */
export const TRANSITIONS = {
  submit: {
    performer: "own_requester",
    reasonRequired: false,
    steps: {
      standard: { from: ["draft"], to: "scheduled" },
      normal: { from: ["draft"], to: "submitted" },
      major: { from: ["draft"], to: "submitted" },
      emergency: { from: ["draft"], to: "authorization" },
    },
  },
  start_assessment: {
    performer: "change_manager",
    reasonRequired: false,
    steps: { normal: { from: ["submitted"], to: "assessment" }, major: { from: ["submitted"], to: "assessment" } },
  },
  request_authorization: {
    performer: "change_manager",
    reasonRequired: false,
    steps: { normal: { from: ["assessment"], to: "authorization" }, major: { from: ["assessment"], to: "authorization" } },
  },
  schedule: {
    performer: "change_manager",
    reasonRequired: false,
    steps: { normal: { from: ["authorization"], to: "scheduled" }, major: { from: ["authorization"], to: "scheduled" } },
  },
  start_implementation: {
    performer: "assigned_implementer",
    reasonRequired: false,
    steps: {
      standard: { from: ["scheduled"], to: "implementing" },
      normal: { from: ["scheduled"], to: "implementing" },
      major: { from: ["scheduled"], to: "implementing" },
      // ECAB approval is the emergency's authorization: it goes straight to work.
      emergency: { from: ["authorization"], to: "implementing" },
    },
  },
  record_outcome: { performer: "assigned_implementer", reasonRequired: false, steps: everyType({ from: ["implementing"], to: "review" }) },
  close: { performer: "change_manager", reasonRequired: false, steps: everyType({ from: ["review"], to: "closed" }) },
  reject: {
    performer: "change_manager",
    reasonRequired: true,
    steps: {
      normal: { from: underReview, to: "rejected" },
      major: { from: underReview, to: "rejected" },
      emergency: { from: ["authorization"], to: "rejected" },
    },
  },
  return_for_rework: {
    performer: "change_manager",
    reasonRequired: true,
    steps: {
      normal: { from: underReview, to: "draft" },
      major: { from: underReview, to: "draft" },
      emergency: { from: ["authorization"], to: "draft" },
    },
  },
  cancel: {
    performer: "change_manager",
    reasonRequired: true,
    steps: {
      standard: toCancelled("standard"),
      normal: toCancelled("normal"),
      major: toCancelled("major"),
      emergency: toCancelled("emergency"),
    },
  },
  withdraw: {
    performer: "own_requester",
    reasonRequired: false,
    steps: {
      standard: toCancelled("standard"),
      normal: toCancelled("normal"),
      major: toCancelled("major"),
      emergency: toCancelled("emergency"),
    },
  },
} as const satisfies Record<ChangeAction, Transition>;

export function stepFor(type: ChangeType, action: ChangeAction): Step | null {
  const steps: Transition["steps"] = TRANSITIONS[action].steps;
  return steps[type] ?? null;
}
