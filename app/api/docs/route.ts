import { docsPageHtml, requestNonce } from "@/lib/server/api-docs/docs-page";

export function GET(request: Request): Response {
  return new Response(docsPageHtml(requestNonce(request)), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
