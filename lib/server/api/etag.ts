import "server-only";

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function noneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** JSON with an ETag; 304 with no body when the client already holds this version. */
export function jsonWithETag(request: Request, body: unknown, etag: string): Response {
  // private: the answer depends on the token; no-cache: a cache must revalidate it each time.
  const headers = { ETag: etag, "Cache-Control": "private, no-cache" };
  if (noneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return Response.json(body, { headers });
}
