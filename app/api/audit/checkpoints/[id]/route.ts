import { NextResponse } from "next/server";
import { auditRouteAccess } from "@/lib/server/api/audit-route-guard";
import { readCheckpoint } from "@/lib/server/audit-verification/read-checkpoints";

/** One signed checkpoint as JSON, for an auditor to keep and later pass to `npm run audit:verify -- --checkpoint`. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const access = await auditRouteAccess(request, "audit.checkpoint_download");
  if ("response" in access) return access.response;
  const cp = await readCheckpoint(access.actor, Number((await params).id));
  if (!cp) return NextResponse.json({ error: "No such checkpoint." }, { status: 404 });
  const signed = { seq: cp.seq, hash: cp.hash, createdAt: cp.createdAt, keyId: cp.keyId, signature: cp.signature };
  return new Response(JSON.stringify(signed, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json",
      "Content-Disposition": `attachment; filename="audit-checkpoint-${cp.seq}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
