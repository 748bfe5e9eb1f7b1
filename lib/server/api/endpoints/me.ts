import "server-only";
import { z } from "zod";
import { API_SCOPES } from "@/lib/domain/api-scopes";
import { ROLES } from "@/lib/domain/roles";
import { ACCOUNT_KINDS } from "@/lib/domain/segregation-of-duties";
import { ok } from "@/lib/domain/result";
import { endpoint } from "../endpoint";

const meSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ACCOUNT_KINDS),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(ROLES)),
  scopes: z.array(z.enum(API_SCOPES)),
  token: z.object({ id: z.uuid(), publicId: z.string(), expiresAt: z.iso.datetime() }),
});

/** Who the token acts as: the foundation every /api/v1 route authenticates with. */
export const getMe = endpoint({
  method: "GET",
  path: "/me",
  tag: "Account",
  summary: "Who the token acts as",
  scope: null,
  input: z.object({}).strict(),
  output: meSchema,
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
