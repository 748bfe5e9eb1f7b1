import { apiRoute } from "@/lib/server/api/api-route";
import { changeETag, changeGetQuerySchema } from "@/lib/server/api/change-schemas";
import { jsonWithETag } from "@/lib/server/api/etag";
import { getChangeForApi } from "@/lib/server/api/read-changes";

export const dynamic = "force-dynamic";

/** One change as its page shows it; a change the token's owner may not see is a 404 like a missing one. */
export const GET = apiRoute({
  scope: "changes:read",
  input: changeGetQuerySchema,
  run: getChangeForApi,
  respond: (change, request) => jsonWithETag(request, change, changeETag(change)),
});
