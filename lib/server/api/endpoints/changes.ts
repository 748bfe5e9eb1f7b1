import "server-only";
import { endpoint } from "../endpoint";
import { jsonWithETag } from "../etag";
import {
  changeDetailSchema,
  changeETag,
  changeGetQuerySchema,
  changeListQuerySchema,
  changeListSchema,
  type ChangeList,
} from "../change-schemas";
import { getChangeForApi, listChangesForApi } from "../read-changes";
import { draftCreateSchema, draftEditSchema, type ChangeWriteInput } from "../change-write-schemas";
import { createDraftForApi, createdChange, editDraftForApi, writtenChange } from "../write-changes";

/** The changes the token's owner may open, newest first, with the change list's filters and a cursor. */
export const listChanges = endpoint({
  method: "GET",
  path: "/changes",
  tag: "Changes",
  summary: "List the changes the caller may open",
  description: "Newest first, with the change list's filters; follow `next` (or the Link header) for the next page.",
  scope: "changes:read",
  input: changeListQuerySchema,
  output: changeListSchema,
  run: listChangesForApi,
  respond: ({ items, nextCursor }, request) => {
    let next: string | null = null;
    if (nextCursor) {
      const url = new URL(request.url);
      url.searchParams.set("cursor", nextCursor);
      next = `${url.pathname}${url.search}`;
    }
    const body: ChangeList = { items, nextCursor, next };
    return Response.json(body, { headers: { "Cache-Control": "no-store", ...(next ? { Link: `<${next}>; rel="next"` } : {}) } });
  },
});

/** One change as its page shows it; a change the token's owner may not see is a 404 like a missing one. */
export const getChange = endpoint({
  method: "GET",
  path: "/changes/{id}",
  tag: "Changes",
  summary: "One change as its page shows it",
  description:
    "Risk, approvals needed and why, votes, checklist, schedule conflicts and the timeline. Carries an ETag; If-None-Match answers 304.",
  scope: "changes:read",
  input: changeGetQuerySchema,
  output: changeDetailSchema,
  run: getChangeForApi,
  respond: (change, request) => jsonWithETag(request, change, changeETag(change)),
  conditional: true,
});

/** Files a draft from the new-change form's fields; the page's rules and messages apply. */
export const createChange = endpoint({
  method: "POST",
  path: "/changes",
  tag: "Changes",
  summary: "File a new change as a draft",
  description:
    "The new-change form's fields as JSON; `type` and `title` at least. Answers 201 with the draft, its Location and ETag. Submit it with POST /changes/{id}/actions/submit.",
  scope: "changes:write",
  input: draftCreateSchema,
  output: changeDetailSchema,
  successStatus: 201,
  run: createDraftForApi,
  respond: createdChange,
});

/** Edits a draft (or, for a change manager, a change under assessment) as the edit form does. */
export const editChange = endpoint({
  method: "PATCH",
  path: "/changes/{id}",
  tag: "Changes",
  summary: "Edit a draft",
  description:
    "The edit form's fields; those left out keep their values. Send the ETag you read as If-Match: a stale one is a 412 " +
    "(precondition_failed) with the current ETag. Without If-Match the edit is checked against the version it was merged with.",
  scope: "changes:write",
  input: draftEditSchema,
  output: changeDetailSchema,
  ifMatch: (input: ChangeWriteInput) => input.id,
  run: editDraftForApi,
  respond: writtenChange,
});
