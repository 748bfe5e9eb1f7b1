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
