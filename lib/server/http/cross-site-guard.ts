import "server-only";
import { NextResponse } from "next/server";
import { env } from "../env";

type RequestLike = { method: string; headers: Headers };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request may change something by its method alone (a server action is a POST). */
export function isStateChangingMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Why a request must be refused as cross-site, or null when it may go on. `portalOrigin` is the
 * public origin (NEXTAUTH_URL's), the only one whose pages may post to the portal.
 *
 * POST and the like: Origin must be the portal's. Every current browser sends Origin with a POST,
 * so a missing one means a script (which can add it), and "null" is an opaque, untrusted context.
 * GET (exports, whose side effect is an audited export): Sec-Fetch-Site, when sent, must be
 * same-origin or none (the portal's own links, a typed or bookmarked address); an Origin, when
 * sent, must be the portal's. With neither, the client is no browser (curl, a script holding its
 * own session cookie) or a browser too old to send fetch metadata, and the download goes through.
 */
export function crossSiteRefusal(request: RequestLike, portalOrigin: string): string | null {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (isStateChangingMethod(request.method)) {
    if (origin === null) return "the request has no Origin header";
    if (origin !== portalOrigin) return `it comes from ${describe(origin)}`;
    if (fetchSite !== null && fetchSite !== "same-origin") return `the browser says it is ${fetchSite}`;
    return null;
  }
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") return `the browser says it is ${fetchSite}`;
  if (origin !== null && origin !== portalOrigin) return `it comes from ${describe(origin)}`;
  return null;
}

/** The 403 to answer a cross-site request with, or null to go on; one rule for routes and the proxy. */
export function refuseCrossSite(request: RequestLike): Response | null {
  const portalOrigin = new URL(env().NEXTAUTH_URL).origin;
  const reason = crossSiteRefusal(request, portalOrigin);
  if (reason === null) return null;
  const error = `Cross-site request refused: ${reason}. Only the portal's own pages at ${portalOrigin} may make this request; open the portal there and try again.`;
  return NextResponse.json({ error }, { status: 403, headers: { "Cache-Control": "no-store" } });
}

function describe(origin: string): string {
  return origin === "null" ? "an opaque origin (null)" : `another origin (${origin.slice(0, 100)})`;
}
