import { NextResponse, type NextRequest } from "next/server";
import { isStateChangingMethod, refuseCrossSite } from "@/lib/server/http/cross-site-guard";
import { newNonce, securityHeaders } from "@/lib/server/http/security-headers";

/**
 * Every request but static files: a state-changing one (a server action, a POST route) from
 * another origin is refused here, before any action runs; every response gets its
 * Content-Security-Policy, whose nonce Next.js reads from the request header and puts on its scripts.
 */
export function proxy(request: NextRequest) {
  const headers = securityHeaders(request.nextUrl.pathname.startsWith("/api/") ? "api" : "page", newNonce());
  const refusal = isStateChangingMethod(request.method) ? refuseCrossSite(request) : null;
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
  const response = refusal ?? NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
