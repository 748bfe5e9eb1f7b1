import { apiRoute } from "@/lib/server/api/api-route";
import { changeListQuerySchema, type ChangeList } from "@/lib/server/api/change-schemas";
import { listChangesForApi } from "@/lib/server/api/read-changes";

export const dynamic = "force-dynamic";

/** The changes the token's owner may open, newest first, with the change list's filters and a cursor. */
export const GET = apiRoute({
  scope: "changes:read",
  input: changeListQuerySchema,
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
