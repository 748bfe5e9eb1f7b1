import { auditRouteActor } from "@/lib/server/api/audit-route-guard";
import { streamLiveVerification } from "@/lib/server/audit-verification/stream-live-verification";
import { refuseCrossSite } from "@/lib/server/http/cross-site-guard";

/** Verifies the live audit chain, streaming progress lines; POST because each run is recorded. */
export async function POST(request: Request) {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const access = await auditRouteActor("audit.verify");
  if ("response" in access) return access.response;
  const stream = await streamLiveVerification(access.actor);
  return new Response(stream, {
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
}
