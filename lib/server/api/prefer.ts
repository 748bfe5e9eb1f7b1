import "server-only";

// RFC 7240 `Prefer: return=minimal` on writes to a change: a pipeline that only needs the new
// ETag for its next If-Match is answered 204 with it, and the change is not read back for it.

export const RETURN_MINIMAL = "return=minimal";

/** Whether the request prefers return=minimal: the first `return` preference counts, its name in any case. */
export function prefersMinimal(request: Request): boolean {
  const header = request.headers.get("prefer");
  if (!header) return false;
  for (const preference of header.split(",")) {
    const [name = "", value = ""] = (preference.split(";")[0] ?? "").split("=").map((part) => part.trim());
    if (name.toLowerCase() === "return") return value.replace(/^"(.*)"$/, "$1") === "minimal";
  }
  return false;
}

/** A write done with return=minimal applied: no body, the change's new ETag, and what was applied. */
export function minimalAnswer(etag: string): Response {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store", ETag: etag, "Preference-Applied": RETURN_MINIMAL } });
}
