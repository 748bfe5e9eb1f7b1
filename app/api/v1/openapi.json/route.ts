import { noneMatch } from "@/lib/server/api/etag";
import { servedOpenApiDocument } from "@/lib/server/api/openapi";

// Public, without a token: the contract is not a secret, and clients and docs fetch it before they hold one.
const HEADERS = { "Cache-Control": "public, max-age=300, must-revalidate", "Access-Control-Allow-Origin": "*" };

export function GET(request: Request): Response {
  const { json, etag } = servedOpenApiDocument();
  if (noneMatch(request.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers: { ...HEADERS, ETag: etag } });
  return new Response(json, { headers: { ...HEADERS, ETag: etag, "Content-Type": "application/json" } });
}
