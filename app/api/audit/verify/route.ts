import { NextResponse } from "next/server";
import { currentActor } from "@/lib/server/auth/current-actor";
import { streamLiveVerification } from "@/lib/server/audit/stream-live-verification";

/** Verifies the live audit chain, streaming progress lines; POST because each run is recorded. */
export async function POST() {
  const result = await streamLiveVerification(await currentActor());
  if (!result.ok) return NextResponse.json({ error: result.message }, { status: result.status });
  return new Response(result.stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" } });
}
