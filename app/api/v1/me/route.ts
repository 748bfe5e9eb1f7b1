import { randomUUID } from "node:crypto";
import { authenticateBearer } from "@/lib/server/api/authenticate-bearer";
import { problemResponse } from "@/lib/server/api/problem";
import { isDatabaseBusy } from "@/lib/server/db/database-busy";

export const dynamic = "force-dynamic";

/** Who the token acts as: the foundation every /api/v1 route authenticates with. */
export async function GET(request: Request): Promise<Response> {
  try {
    const auth = await authenticateBearer(request, { scope: null, attempted: "GET /api/v1/me" });
    if (!auth.ok) return problemResponse(auth.refusal);
    const { actor } = auth;
    return Response.json(
      {
        id: actor.id,
        kind: actor.kind,
        name: actor.name,
        email: actor.email,
        roles: actor.roles,
        scopes: actor.scopes,
        token: { id: actor.token.id, publicId: actor.token.publicId, expiresAt: actor.token.expiresAt.toISOString() },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (isDatabaseBusy(error))
      return problemResponse({
        status: 503,
        code: "database_busy",
        detail: "The portal is busy; try again in a moment.",
        headers: { "Retry-After": "1" },
      });
    const ref = randomUUID().slice(0, 8);
    console.error(`[api ${ref}]`, error);
    return problemResponse({ status: 500, code: "internal_error", detail: `Something went wrong (ref ${ref}).` });
  }
}
