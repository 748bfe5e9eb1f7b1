import { NextResponse, type NextRequest } from "next/server";
import { DEMO_RECEIVER_PATH } from "@/lib/domain/demo-receiver-path";
import { REQUESTED_PATH_HEADER, requestedPath } from "@/lib/domain/sign-in-address";
import { renewSession } from "@/lib/server/auth/renew-session";
import { isStateChangingMethod, refuseCrossSite } from "@/lib/server/http/cross-site-guard";
import { refuseOversizedRequest } from "@/lib/server/http/request-limits";
import { newNonce, securityHeaders } from "@/lib/server/http/security-headers";

/**
 * Every request but static files: an oversized one (413/431) or a state-changing one from another
 * origin (a server action, a POST route) is refused here, before any action runs; every response
 * gets its Content-Security-Policy, whose nonce Next.js reads from the request header and puts on
 * its scripts; the session's last-seen time is renewed (not on next-auth's own routes, which
 * write the session cookie themselves, nor on /api/v1, which never reads it). Pages learn the address asked for from a request header
 * set here (never the browser's own), so a visitor sent to sign in comes back to it.
 */
export async function proxy(request: NextRequest) {
  // /api/docs is a page (the API reference): it gets a page's policy, with a nonce for its scripts.
  const apiResponse = request.nextUrl.pathname.startsWith("/api/") && request.nextUrl.pathname !== "/api/docs";
  const headers = securityHeaders(apiResponse ? "api" : "page", newNonce());
  const publicApi = isPublicApi(request.nextUrl.pathname);
  const refusal =
    refuseOversizedRequest(request) ?? (isStateChangingMethod(request.method) && !publicApi ? refuseCrossSite(request) : null);
  let response: Response;
  if (refusal) {
    response = refusal;
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
    requestHeaders.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
    // The public API authenticates by Bearer token only: its handlers never see the session cookie.
    if (publicApi) requestHeaders.delete("cookie");
    const next = NextResponse.next({ request: { headers: requestHeaders } });
    if (!request.nextUrl.pathname.startsWith("/api/auth/") && !publicApi) await renewSession(request, next);
    response = next;
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * /api/v1 takes only `Authorization: Bearer` (lib/server/api/authenticate-bearer.ts): no cookie
 * reaches it, so a browser page cannot ride a session there, and it needs no Origin check.
 */
function isPublicApi(pathname: string): boolean {
  return pathname === "/api/v1" || pathname.startsWith("/api/v1/") || isDemoWebhookReceiver(pathname);
}

/** The demo's webhook receiver takes signed posts from the worker: no session, no Origin (it answers 404 outside the demo). */
function isDemoWebhookReceiver(pathname: string): boolean {
  return pathname.startsWith(`${DEMO_RECEIVER_PATH}/`);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
