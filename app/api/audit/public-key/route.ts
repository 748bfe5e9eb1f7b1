import { NextResponse } from "next/server";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { currentActor } from "@/lib/server/auth/current-actor";
import { routeAccess } from "@/lib/server/auth/route-access";
import { auditPublicKeyPem } from "@/lib/server/audit/checkpoints";

/** The public key that verifies the audit checkpoints, as a PEM file for `npm run audit:verify -- --public-key`. */
export async function GET() {
  const access = await routeAccess(await currentActor(), "audit.verify", "audit.public_key", "Only auditors and admins can download the audit log's public key.");
  if (!access.ok) return NextResponse.json({ error: access.message }, { status: access.status });
  const pem = auditPublicKeyPem();
  return new Response(pem, {
    headers: { "Content-Type": "application/x-pem-file", "Content-Disposition": `attachment; filename="audit-public-key-${keyIdOf(pem)}.pem"`, "Cache-Control": "no-store" },
  });
}
