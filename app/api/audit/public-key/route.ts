import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { auditRouteAccess } from "@/lib/server/api/audit-route-guard";
import { auditPublicKeyPem } from "@/lib/server/audit/checkpoints";

/** The public key that verifies the audit checkpoints, as a PEM file for `npm run audit:verify -- --public-key`. */
export async function GET(request: Request) {
  const access = await auditRouteAccess(request, "audit.public_key");
  if ("response" in access) return access.response;
  const pem = await auditPublicKeyPem();
  return new Response(pem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": `attachment; filename="audit-public-key-${keyIdOf(pem)}.pem"`,
      "Cache-Control": "no-store",
    },
  });
}
