import "server-only";
import { z } from "zod";
import { changeDraftSchema } from "@/lib/domain/change-input";
import { encodeTimeCursor, optionalParam } from "@/lib/domain/search-params";
import { decodeApiCursor } from "./api-cursor";
import { changeActionSchema } from "../changes/change-action-request";
import { commentInputSchema } from "../changes/add-comment";
import { assignImplementerInputSchema } from "../changes/assign-implementer";
import { voteInputSchema } from "../changes/cast-vote";
import { freezeExceptionApprovalSchema, freezeExceptionRequestSchema } from "../changes/freeze-exception";
import { rescheduleInputSchema } from "../changes/reschedule-change";
import { signOffInputSchema, waiverInputSchema } from "../changes/sign-off-item";

// What the API's writes to changes take: the pages' own input schemas, as a JSON body gives them.
// The use case parses its input once more, as it parses a form, so a body schema keeps each
// field's rules (and messages) but not its transform: the use case gets what the client sent.

type Shape = Record<string, z.ZodType>;

/** A use case's fields without their transforms (a ZodPipe's input side), the ids the path gives left out. */
function bodyShape(shape: Shape, omit: readonly string[] = ["changeId", "version"]): Shape {
  return Object.fromEntries(
    Object.entries(shape)
      .filter(([name]) => !omit.includes(name))
      .map(([name, schema]) => [name, schema instanceof z.ZodPipe ? (schema.in as z.ZodType) : schema]),
  );
}

/** The change's id from the path, with a body of `shape`; an unknown field is refused, not ignored. */
const onChange = (shape: Shape) => z.object({ id: z.string(), ...shape }).strict();

export type ChangeWriteInput = { id: string } & Record<string, unknown>;

const draftFields = bodyShape(changeDraftSchema.shape as unknown as Shape, []);
const documented = {
  plannedStart: draftFields.plannedStart!.describe("ISO 8601 with an offset, e.g. 2026-12-08T10:00:00Z; empty for none"),
  plannedEnd: draftFields.plannedEnd!.describe("ISO 8601 with an offset; empty for none"),
  accessExpiresAt: draftFields.accessExpiresAt!.describe("ISO 8601 with an offset; empty for none"),
  cves: draftFields.cves!.describe('One CVE per line, as the form takes them: "CVE-2026-1234 9.8 exploited"'),
  artifacts: draftFields.artifacts!.describe(
    "The release artifacts, the whole list (it replaces the stored one). Changing it on an authorized change sends the change back for assessment and a new approval round",
  ),
  backoutTestRecorded: draftFields.backoutTestRecorded!.describe(
    "Records that the backout was tested, as you, now; only someone other than the requester records it (the requester's value is ignored)",
  ),
};

/** POST /api/v1/changes: the new-change form's fields; all but type and title may be left out. */
export const draftCreateSchema = z
  .object({ ...draftFields, ...documented })
  .partial()
  .strict();

/** PATCH /api/v1/changes/{id}: the edit form's fields; those left out keep their current values. */
export const draftEditSchema = onChange(z.object({ ...draftFields, ...documented }).partial().shape as Shape);

const action = changeActionSchema.shape;
const review = bodyShape(changeActionSchema.shape.review.unwrap().shape as unknown as Shape);

/** Each lifecycle action's fields, as the change page's form for it sends them. */
export const ACTION_BODIES = {
  submit: onChange({}),
  start_assessment: onChange({}),
  request_authorization: onChange({}),
  schedule: onChange({}),
  start_implementation: onChange({
    reason: action.reason.describe("Needed to start outside the approved window: why now"),
  }),
  record_outcome: onChange({ outcome: action.outcome, outcomeNotes: action.outcomeNotes }),
  close: onChange({
    ...Object.fromEntries(Object.entries(review).map(([name, schema]) => [name, schema.optional()])),
    rootCause: action.rootCause,
  }),
  reject: onChange({ reason: action.reason }),
  return_for_rework: onChange({ reason: action.reason }),
  cancel: onChange({ reason: action.reason }),
  withdraw: onChange({ reason: action.reason }),
} as const;

export const voteBodySchema = onChange({
  ...bodyShape(voteInputSchema.shape),
  onBehalfOf: voteInputSchema.shape.onBehalfOf.describe(
    "Voting as a delegate: the user id of the person whose vote this is (their delegation to you must be in force). The vote counts once, as theirs, and both of you must pass the change's segregation-of-duties rules; left out, the vote is your own",
  ),
});
export const signOffBodySchema = onChange({ key: z.string(), ...bodyShape(signOffInputSchema.shape, ["changeId", "version", "key"]) });
export const waiverBodySchema = onChange({ key: z.string(), ...bodyShape(waiverInputSchema.shape, ["changeId", "version", "key"]) });
export const implementerBodySchema = onChange(bodyShape(assignImplementerInputSchema.shape));
export const rescheduleBodySchema = onChange(bodyShape(rescheduleInputSchema.shape));
export const freezeExceptionRequestBodySchema = onChange(bodyShape(freezeExceptionRequestSchema.shape));
export const freezeExceptionApprovalBodySchema = onChange(bodyShape(freezeExceptionApprovalSchema.shape));
export const commentBodySchema = onChange(bodyShape(commentInputSchema.shape));

const commentCursor = optionalParam(
  z.string().transform((text, ctx) => {
    const at = decodeApiCursor(text);
    if (at) return encodeTimeCursor(at.at, at.id);
    ctx.addIssue({ code: "custom", message: "This cursor was not given out by this API; start again without one." });
    return z.NEVER;
  }),
);

/** GET /api/v1/changes/{id}/comments: the page before an opaque cursor. */
export const commentListQuerySchema = z.object({ id: z.string(), before: commentCursor }).strict();

export const commentListSchema = z.object({
  /** Oldest first. */
  items: z.array(z.object({ id: z.uuid(), body: z.string(), createdAt: z.iso.datetime(), author: z.object({ name: z.string() }) })),
  /** Pass as `before` for the page of earlier comments; null when there are none. */
  earlierBefore: z.string().nullable(),
});
export type CommentList = z.infer<typeof commentListSchema>;
