"use server";

import type { Result } from "@/lib/domain/result";
import type { Actor } from "@/lib/server/auth/current-actor";
import { formAction } from "@/lib/server/actions/form-action";
import { addComment } from "@/lib/server/changes/add-comment";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return value === null ? undefined : String(value);
};

type Step<I> = {
  /** The confirmation the page shows after the step. */
  done: string | ((input: I) => string);
  input: (form: FormData) => I;
  /** The fields a refusal sends back as they were. */
  keep?: readonly string[];
  run: (actor: Actor | null, input: I) => Promise<Result<unknown>>;
  /** An approval: a fresh authentication first (lib/domain/step-up.ts). */
  stepUp?: boolean;
};

// Every form on the change page posts here; the use cases check the actor and the rules. On
// success the page is drawn afresh with a confirmation (the form that was used may be gone).
function changeStep<I extends { changeId?: string }>({ done, input, keep = [], run, stepUp }: Step<I>) {
  return formAction({
    input,
    run,
    stepUp,
    keep: (_, form) => Object.fromEntries(keep.map((name) => [name, field(form, name) ?? ""])),
    revalidate: (_, { changeId }) => [`/changes/${changeId}`],
    // A distinct address each time, so two steps in a row each draw the page afresh.
    redirectTo: (_, step) => `/changes/${step.changeId}?done=${typeof done === "string" ? done : done(step)}&at=${Date.now()}`,
  });
}

export const changeActionAction = changeStep({
  input: (form) => {
    const checked = (name: string) => form.get(name) === "on";
    return {
      changeId: field(form, "changeId"),
      version: field(form, "version"),
      action: field(form, "action"),
      reason: field(form, "reason"),
      outcome: field(form, "outcome") || undefined,
      outcomeNotes: field(form, "outcomeNotes"),
      rootCause: field(form, "rootCause"),
      review:
        field(form, "action") === "close"
          ? {
              worksAsIntended: checked("worksAsIntended"),
              securityControlsInPlace: checked("securityControlsInPlace"),
              monitoringCovers: checked("monitoringCovers"),
              documentationUpdated: checked("documentationUpdated"),
              securityValidation: field(form, "securityValidation"),
              notes: field(form, "notes"),
            }
          : undefined,
    };
  },
  keep: [
    "reason",
    "outcome",
    "outcomeNotes",
    "rootCause",
    "worksAsIntended",
    "securityControlsInPlace",
    "monitoringCovers",
    "documentationUpdated",
    "securityValidation",
    "notes",
  ],
  run: (actor, input) => performChangeAction(actor, input),
  done: ({ action }) => action ?? "",
});

type VoteFields = { changeId?: string; role?: string; decision?: string; comment?: string; onBehalfOf?: string };

export const voteAction = changeStep<VoteFields>({
  // A delegate's vote is confirmed with whose it is.
  done: (step) => (step.onBehalfOf ? "vote_on_behalf" : "vote"),
  input: (form) => ({
    changeId: field(form, "changeId"),
    role: field(form, "role"),
    decision: field(form, "decision"),
    comment: field(form, "comment"),
    onBehalfOf: field(form, "onBehalfOf"),
  }),
  keep: ["role", "decision", "comment"],
  run: castVote,
  stepUp: true,
});

export const signOffAction = changeStep({
  done: "signed",
  input: (form) => ({ changeId: field(form, "changeId"), key: field(form, "key"), evidence: field(form, "evidence") }),
  keep: ["evidence"],
  run: signOffItem,
  stepUp: true,
});

export const waiveAction = changeStep({
  done: "waived",
  input: (form) => ({
    changeId: field(form, "changeId"),
    key: field(form, "key"),
    compensatingControl: field(form, "compensatingControl"),
    residualRisk: field(form, "residualRisk"),
    expiresAt: field(form, "expiresAt"),
  }),
  keep: ["compensatingControl", "residualRisk", "expiresAt"],
  run: waiveItem,
  stepUp: true,
});

export const assignImplementerAction = changeStep({
  done: "assigned",
  input: (form) => ({ changeId: field(form, "changeId"), implementerId: field(form, "implementerId"), version: field(form, "version") }),
  keep: ["implementerId"],
  run: assignImplementer,
});

export const commentAction = changeStep({
  done: "commented",
  input: (form) => ({ changeId: field(form, "changeId"), body: field(form, "body") }),
  keep: ["body"],
  run: addComment,
});

export const requestFreezeExceptionAction = changeStep({
  done: "exception_requested",
  input: (form) => ({ changeId: field(form, "changeId"), reason: field(form, "reason") }),
  keep: ["reason"],
  run: requestFreezeException,
});

export const approveFreezeExceptionAction = changeStep({
  done: "exception_approved",
  input: (form) => ({ changeId: field(form, "changeId"), role: field(form, "role") }),
  run: approveFreezeException,
  stepUp: true,
});

export const rescheduleAction = changeStep({
  done: "rescheduled",
  input: (form) => ({
    changeId: field(form, "changeId"),
    version: field(form, "version"),
    plannedStart: field(form, "plannedStart"),
    plannedEnd: field(form, "plannedEnd"),
  }),
  run: (actor, input) => rescheduleChange(actor, input),
});
