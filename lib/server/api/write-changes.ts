import "server-only";
import { blankDraftInput } from "@/lib/domain/change-input";
import { canViewChange } from "@/lib/domain/change-visibility";
import { isUuid } from "@/lib/domain/is-uuid";
import { ok, refuseAs, type Result } from "@/lib/domain/result";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { HIDDEN } from "../auth/viewer-read";
import { changeDraftFields } from "../changes/change-form-values";
import { changeFormInitial } from "../changes/change-form-initial";
import { getChangeForViewer } from "../changes/get-change";
import { listChangeComments } from "../changes/list-change-comments";
import { createChangeDraft, updateChangeDraft } from "../changes/save-change-draft";
import { requestPool } from "../db/db";
import { encodeApiCursor } from "./api-cursor";
import type { StepDone } from "../changes/run-change-step";
import { changeETag, versionETag, type ChangeDetailResource } from "./change-schemas";
import type { ChangeWriteInput, CommentList } from "./change-write-schemas";
import type { Preconditions } from "./preconditions";
import { minimalAnswer } from "./prefer";
import { getChangeForApi, NO_SUCH_CHANGE } from "./read-changes";

// The API's writes to changes: each calls the use case the page's form calls, with the fields
// that form sends and the If-Match version, and answers the change as it now is.

/** A change the actor may not open answers like a missing one, as GET does: a token learns nothing of it. */
async function mayOpen(actor: Actor, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  // node-postgres, not Prisma: every API write runs it first, and Prisma's layer cost more than the lookup (docs/performance.md).
  const {
    rows: [change],
  } = await requestPool().query<{ requesterId: string; implementerId: string | null }>({
    name: "api_may_open_change",
    text: 'SELECT requester_id AS "requesterId", implementer_id AS "implementerId" FROM change_requests WHERE id = $1::uuid',
    values: [id],
  });
  return change !== undefined && canViewChange(actor, change);
}

type Step = (actor: Actor, fields: Record<string, unknown>, version: number | undefined) => Promise<Result<StepDone>>;

/** What a write answers to `Prefer: return=minimal`: the change's ETag after it, without reading the change back. */
export type MinimalWrite = { minimalETag: string };

/** A write to an existing change: its use case with the body's fields, the path's id as changeId, and If-Match's version. */
export function changeStep(step: Step) {
  return async (
    actor: Actor,
    input: ChangeWriteInput,
    { version, minimal }: Preconditions,
  ): Promise<Result<ChangeDetailResource | MinimalWrite>> => {
    const { id, ...fields } = input;
    if (!(await mayOpen(actor, id))) return refuseAs("not_found", NO_SUCH_CHANGE);
    const done = await step(actor, { ...fields, changeId: id }, version);
    if (!done.ok) return done;
    return minimal ? ok({ minimalETag: versionETag(done.value.version, done.value.eventSeq) }) : getChangeForApi(actor, { id });
  };
}

/** Everything a JSON client may leave out of a new draft, as the form posts it empty. */
const EMPTY_DRAFT = {
  ...blankDraftInput(),
  title: "",
  description: "",
  justification: "",
  implementationPlan: "",
  backoutPlan: "",
  testPlan: "",
  backoutTested: false,
  plannedStart: "",
  plannedEnd: "",
  ciIds: [] as string[],
};

/** Files a draft as the new-change form does, and answers it. */
export async function createDraftForApi(actor: Actor, fields: Record<string, unknown>): Promise<Result<ChangeDetailResource>> {
  const created = await createChangeDraft(actor, { ...EMPTY_DRAFT, ...fields });
  return created.ok ? getChangeForApi(actor, { id: created.value.id }) : created;
}

/**
 * Edits a change as the edit form does. The fields left out keep the values read with the
 * change's version, and that version is checked when no If-Match is sent: a field the client
 * did not name is never overwritten with an older value.
 */
export async function editDraftForApi(actor: Actor, input: ChangeWriteInput, { version }: Preconditions) {
  const { id, ...fields } = input;
  const change = await getChangeForViewer(actor, id);
  if (!change || change === HIDDEN) return refuseAs("not_found", NO_SUCH_CHANGE);
  const current = changeFormInitial(change);
  const done = await updateChangeDraft(actor, {
    ...changeDraftFields(current.values),
    ...fields,
    changeId: id,
    version: version ?? current.version,
  });
  return done.ok ? getChangeForApi(actor, { id }) : done;
}

/** One page of a change's comments, oldest first, with the cursor of the page before it. */
export async function listCommentsForApi(actor: Actor, input: { id: string; before?: string }): Promise<Result<CommentList>> {
  if (!(await mayOpen(actor, input.id))) return refuseAs("not_found", NO_SUCH_CHANGE);
  const { comments, earlierBefore } = await listChangeComments(actor, input.id, input.before);
  const earlier = decodeTimeCursor(earlierBefore);
  return ok({
    items: comments.map((c) => ({ id: c.id, body: c.body, createdAt: c.createdAt.toISOString(), author: { name: c.author.name } })),
    earlierBefore: earlier ? encodeApiCursor(earlier.at, earlier.id) : null,
  });
}

const NO_STORE = { "Cache-Control": "no-store" };

/** A write's answer: the change as it now is, with its new ETag for the next write's If-Match (or the ETag alone: return=minimal). */
export function writtenChange(change: ChangeDetailResource | MinimalWrite): Response {
  if ("minimalETag" in change) return minimalAnswer(change.minimalETag);
  return Response.json(change, { headers: { ...NO_STORE, ETag: changeETag(change) } });
}

/** A new draft's answer: 201, where it lives, and its ETag. */
export function createdChange(change: ChangeDetailResource): Response {
  return Response.json(change, {
    status: 201,
    headers: { ...NO_STORE, ETag: changeETag(change), Location: `/api/v1/changes/${change.id}` },
  });
}
