import { z } from "zod";
import { ok } from "@/lib/domain/result";
import { apiRoute } from "@/lib/server/api/api-route";

export const dynamic = "force-dynamic";

/** Who the token acts as: the foundation every /api/v1 route authenticates with. */
export const GET = apiRoute({
  scope: null,
  input: z.object({}).strict(),
  run: async (actor) =>
    ok({
      id: actor.id,
      kind: actor.kind,
      name: actor.name,
      email: actor.email,
      roles: actor.roles,
      scopes: actor.scopes,
      token: { id: actor.token.id, publicId: actor.token.publicId, expiresAt: actor.token.expiresAt.toISOString() },
    }),
});
