import "server-only";
import { NextResponse } from "next/server";
import { can } from "@/lib/domain/capabilities";
import { recordDenial } from "../audit/record-denial";
import { currentActor, type Actor } from "./current-actor";

/**
 * For the auditors' route handlers (exports, manifests): the signed-in auditor or admin, or the
 * response to send instead: 401 without a session, 403 (recorded as a denial) without the role.
 */
export async function auditRouteActor(what: string): Promise<{ actor: Actor } | { response: Response }> {
  const actor = await currentActor();
  if (!actor) return { response: NextResponse.json({ error: "Sign in first." }, { status: 401 }) };
  if (!can(actor.roles, "audit.read")) {
    const message = "Only auditors and admins can read and export the audit history.";
    await recordDenial(actor, what, message);
    return { response: NextResponse.json({ error: message }, { status: 403 }) };
  }
  return { actor };
}
