import { NextResponse } from "next/server";
import { currentActor } from "@/lib/server/auth/current-actor";
import { routeAccess } from "@/lib/server/auth/route-access";
import { getCheckpoint } from "@/lib/server/audit/checkpoints";

/** One signed checkpoint as JSON, for an auditor to keep and later pass to `npm run audit:verify -- --checkpoint`. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const access = await routeAccess(await currentActor(), "audit.verify", "audit.checkpoint_download", "Only auditors and admins can download audit checkpoints.");
  if (!access.ok) return NextResponse.json({ error: access.message }, { status: access.status });
  const cp = await getCheckpoint(Number((await params).id));
  if (!cp) return NextResponse.json({ error: "No such checkpoint." }, { status: 404 });
  const signed = { seq: cp.seq, hash: cp.hash, createdAt: cp.createdAt, keyId: cp.keyId, signature: cp.signature };
  return new Response(JSON.stringify(signed, null, 2) + "\n", {
    headers: { "Content-Type": "application/json", "Content-Disposition": `attachment; filename="audit-checkpoint-${cp.seq}.json"`, "Cache-Control": "no-store" },
  });
}
