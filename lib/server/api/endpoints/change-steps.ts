import "server-only";
import { CHANGE_ACTION_LABELS, type ChangeAction } from "@/lib/domain/change-actions";
import { addComment } from "../../changes/add-comment";
import { assignImplementer } from "../../changes/assign-implementer";
import { castVote } from "../../changes/cast-vote";
import { approveFreezeException, requestFreezeException } from "../../changes/freeze-exception";
import { performChangeAction } from "../../changes/perform-change-action";
import { rescheduleChange } from "../../changes/reschedule-change";
import { signOffItem, waiveItem } from "../../changes/sign-off-item";
import { changeDetailSchema } from "../change-schemas";
import {
  ACTION_BODIES,
  commentBodySchema,
  commentListQuerySchema,
  commentListSchema,
  freezeExceptionApprovalBodySchema,
  freezeExceptionRequestBodySchema,
  implementerBodySchema,
  rescheduleBodySchema,
  signOffBodySchema,
  voteBodySchema,
  waiverBodySchema,
  type ChangeWriteInput,
} from "../change-write-schemas";
import { endpoint } from "../endpoint";
import { changeStep, listCommentsForApi, writtenChange } from "../write-changes";

// Every step the change page offers, one endpoint each, through the use case its form calls. Each
// takes If-Match (the ETag of GET /changes/{id}) and answers the change with its new ETag, or
// the ETag alone (204) to `Prefer: return=minimal`.

const IF_MATCH =
  " Send the ETag you read as If-Match: a stale one is a 412 (precondition_failed) with the current ETag, and nothing is written.";
const changeId = (input: ChangeWriteInput) => input.id;
const step = {
  tag: "Change steps",
  scope: "changes:write",
  output: changeDetailSchema,
  ifMatch: changeId,
  respond: writtenChange,
  returnMinimal: true,
} as const;

/** The action's fields as the change page's form posts them (close's review boxes nested as the form action nests them). */
function actionRequest(action: ChangeAction, fields: Record<string, unknown>) {
  const { reason, outcome, outcomeNotes, rootCause, changeId: id, ...review } = fields;
  return {
    changeId: id,
    action,
    reason,
    outcome,
    outcomeNotes,
    rootCause,
    review:
      action === "close"
        ? {
            worksAsIntended: review.worksAsIntended === true,
            securityControlsInPlace: review.securityControlsInPlace === true,
            monitoringCovers: review.monitoringCovers === true,
            documentationUpdated: review.documentationUpdated === true,
            securityValidation: review.securityValidation,
            notes: review.notes,
          }
        : undefined,
  };
}

function actionEndpoint<A extends ChangeAction>(action: A, segment: string, description: string) {
  return endpoint({
    ...step,
    method: "POST",
    path: `/changes/{id}/actions/${segment}`,
    summary: CHANGE_ACTION_LABELS[action],
    description: description + IF_MATCH,
    input: ACTION_BODIES[action],
    run: changeStep((actor, fields, version) => performChangeAction(actor, { ...actionRequest(action, fields), version })),
  });
}

export const submitChange = actionEndpoint("submit", "submit", "The requester submits their draft; its risk is scored.");
export const startAssessment = actionEndpoint(
  "start_assessment",
  "start-assessment",
  "A change manager starts assessing a submitted change.",
);
export const requestAuthorization = actionEndpoint(
  "request_authorization",
  "request-authorization",
  "A change manager sends an assessed change for the votes it needs.",
);
export const scheduleChange = actionEndpoint("schedule", "schedule", "A change manager authorizes an approved change and schedules it.");
export const startImplementation = actionEndpoint(
  "start_implementation",
  "start-implementation",
  "The assigned implementer starts; outside the approved window only with a `reason`.",
);
export const recordOutcome = actionEndpoint(
  "record_outcome",
  "record-outcome",
  "The implementer records how it went (`outcome`, `outcomeNotes`).",
);
export const closeChange = actionEndpoint(
  "close",
  "close",
  "A change manager closes it after the post-implementation review (the review's confirmations, `rootCause` where one is needed).",
);
export const rejectChange = actionEndpoint("reject", "reject", "A change manager rejects it, with a `reason`.");
export const returnForRework = actionEndpoint(
  "return_for_rework",
  "return-for-rework",
  "A change manager returns it to its requester, with a `reason`.",
);
export const cancelChange = actionEndpoint("cancel", "cancel", "A change manager cancels it, with a `reason`.");
export const withdrawChange = actionEndpoint("withdraw", "withdraw", "The requester withdraws it, with a `reason`.");

export const castChangeVote = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/votes",
  summary: "Vote on a change in authorization",
  description:
    "In one of the caller's approver roles; one vote per person per round. A delegate votes for the person on leave with `onBehalfOf`, under the same rules as the change page's vote. A service account never votes." +
    IF_MATCH,
  input: voteBodySchema,
  stepUp: true,
  run: changeStep((actor, fields, version) => castVote(actor, { ...fields, version })),
});

export const signOffChecklistItem = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/checklist/{key}/sign-off",
  summary: "Sign off a checklist item",
  description: "With the `evidence` checked, in the item's signer role. A service account never signs off." + IF_MATCH,
  input: signOffBodySchema,
  stepUp: true,
  run: changeStep((actor, fields, version) => signOffItem(actor, { ...fields, version })),
});

export const waiveChecklistItem = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/checklist/{key}/waiver",
  summary: "Waive a checklist item",
  description: "A security reviewer, with the compensating control and the residual risk. A service account never waives." + IF_MATCH,
  input: waiverBodySchema,
  stepUp: true,
  run: changeStep((actor, fields, version) => waiveItem(actor, { ...fields, version })),
});

export const assignChangeImplementer = endpoint({
  ...step,
  method: "PUT",
  path: "/changes/{id}/implementer",
  summary: "Assign the implementer",
  description: "A change manager names who carries the change out (`implementerId`, a user id)." + IF_MATCH,
  input: implementerBodySchema,
  run: changeStep((actor, fields, version) => assignImplementer(actor, { ...fields, version })),
});

export const rescheduleChangeWindow = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/reschedule",
  summary: "Move the planned window",
  description: "A change manager, not a party to the change; the new window's conflicts are checked (ISO 8601 instants)." + IF_MATCH,
  input: rescheduleBodySchema,
  run: changeStep((actor, fields, version) => rescheduleChange(actor, { ...fields, version })),
});

export const requestChangeFreezeException = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/freeze-exception",
  summary: "Ask to work inside a freeze",
  description: "For the change's current planned window, with a `reason`; asking again replaces the earlier request." + IF_MATCH,
  input: freezeExceptionRequestBodySchema,
  run: changeStep((actor, fields, version) => requestFreezeException(actor, { ...fields, version })),
});

export const approveChangeFreezeException = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/freeze-exception/approvals",
  summary: "Approve a freeze exception",
  description:
    "In the caller's `role` (change_manager or security_reviewer); both are needed. A service account never approves." + IF_MATCH,
  input: freezeExceptionApprovalBodySchema,
  stepUp: true,
  run: changeStep((actor, fields, version) => approveFreezeException(actor, { ...fields, version })),
});

export const listComments = endpoint({
  method: "GET",
  path: "/changes/{id}/comments",
  tag: "Change steps",
  summary: "A change's comments",
  description: "The latest page, oldest first; pass `earlierBefore` as `before` for the page before it.",
  scope: "changes:read",
  input: commentListQuerySchema,
  output: commentListSchema,
  run: listCommentsForApi,
});

export const postComment = endpoint({
  ...step,
  method: "POST",
  path: "/changes/{id}/comments",
  summary: "Comment on a change",
  description:
    "Anyone who may open the change. A comment does not bump the version (the ETag's e-part moves); If-Match, if sent, is checked all the same.",
  input: commentBodySchema,
  run: changeStep((actor, fields, version) => addComment(actor, { ...fields, version })),
});
