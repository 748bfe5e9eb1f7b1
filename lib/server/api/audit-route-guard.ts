import "server-only";
import { NextResponse } from "next/server";
import { can } from "@/lib/domain/capabilities";
import { authenticateBearer } from "./authenticate-bearer";
import { problemResponse } from "./problem";
import { recordDenial } from "../audit/record-denial";
import { refuseCrossSite } from "../http/cross-site-guard";
import { currentActor, type Actor } from "../auth/current-actor";

const AUDIT_ONLY = "Only auditors and admins can read and export the audit history.";

/**
 * For the auditors' route handlers (exports, manifests): the signed-in auditor or admin, or the
 * response to send instead: 401 without a session, 403 (recorded as a denial) without the role.
 */
export async function auditRouteActor(what: string): Promise<{ actor: Actor } | { response: Response }> {
  const actor = await currentActor();
  if (!actor) return { response: NextResponse.json({ error: "Sign in first." }, { status: 401 }) };
  if (!can(actor.roles, "audit.read")) {
    await recordDenial(actor, what, AUDIT_ONLY);
    return { response: NextResponse.json({ error: AUDIT_ONLY }, { status: 403 }) };
  }
  return { actor };
}

/**
 * auditRouteActor, or an audit:read API token instead of the session: a request with an
 * Authorization header is authenticated by its token alone (the cookie is never read, so no
 * cross-site check is needed, and its refusals are problem+json as the API's); one without goes
 * the session's way, cross-site check first.
 */
export async function auditRouteAccess(request: Request, what: string): Promise<{ actor: Actor } | { response: Response }> {
  if (!request.headers.has("authorization")) {
    const crossSite = refuseCrossSite(request);
    if (crossSite) return { response: crossSite };
    return auditRouteActor(what);
  }
  const auth = await authenticateBearer(request, { scope: "audit:read", attempted: `${request.method} ${new URL(request.url).pathname}` });
  if (!auth.ok) return { response: problemResponse(auth.refusal) };
  if (!can(auth.actor.roles, "audit.read")) {
    await recordDenial(auth.actor, what, AUDIT_ONLY);
    return { response: problemResponse({ status: 403, code: "refused", detail: AUDIT_ONLY }) };
  }
  return { actor: auth.actor };
}
