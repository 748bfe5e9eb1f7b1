import "server-only";

// Request-level size limits, for the proxy (proxy.ts) to call before any page or route runs:
// every filter a page reads is short, so a longer query string is an attack or a mistake, and
// a body larger than any form sends is refused before it is read.

/** Longer than any address the portal's own forms and links produce. */
export const MAX_QUERY_BYTES = 8 * 1024;
/** The same as the server actions' body limit (next.config.ts, serverActions.bodySizeLimit; Next's default is 1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

function refusal(status: 413 | 431, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/** A 431 for a query string, or a 413 for a declared body, larger than the portal accepts; null if the request may go on. */
export function refuseOversizedRequest(request: Pick<Request, "url" | "headers">): Response | null {
  const search = new URL(request.url).search;
  if (Buffer.byteLength(search) > MAX_QUERY_BYTES) {
    return refusal(
      431,
      `This address is too long (${Buffer.byteLength(search)} bytes of query string; at most ${MAX_QUERY_BYTES}). Shorten the search text or clear the filters.`,
    );
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > MAX_BODY_BYTES)) {
    return refusal(413, `This request is too large (at most ${MAX_BODY_BYTES / 1024 / 1024} MB). Shorten the text or attach less.`);
  }
  return null;
}
