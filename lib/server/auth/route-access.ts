import "server-only";
import { can, type Capability } from "@/lib/domain/capabilities";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "./current-actor";

export type RouteAccess = { ok: true; actor: Actor } | { ok: false; status: 401 | 403; message: string };

/** Route handlers check the session and the role themselves: 401 without a session, 403 (recorded) without the capability. */
export async function routeAccess(actor: Actor | null, capability: Capability, what: string, message: string): Promise<RouteAccess> {
  if (!actor) return { ok: false, status: 401, message: "Sign in first." };
  if (can(actor.roles, capability)) return { ok: true, actor };
  await recordDenial(actor, what, message);
  return { ok: false, status: 403, message };
}
