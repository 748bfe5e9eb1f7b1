import { NextResponse } from "next/server";
import { currentActor } from "@/lib/server/auth/current-actor";
import { exportAuditJsonl } from "@/lib/server/audit/export-audit-jsonl";

/** The whole audit log as JSON Lines; the route checks the session and the role itself. */
export async function GET() {
  const result = await exportAuditJsonl(await currentActor());
  if (!result.ok) return NextResponse.json({ error: result.message }, { status: result.status });
  return new Response(result.stream, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-to-${result.headSeq}.jsonl"`,
      "Cache-Control": "no-store",
    },
  });
}
