import { NextResponse } from "next/server";
import { isUuid } from "@/lib/domain/is-uuid";
import { auditRouteAccess } from "@/lib/server/api/audit-route-guard";
import { loadManifest } from "@/lib/server/exports/load-manifest";

/** The signed manifest of a finished export: filters, row count, SHA-256, chain head, checkpoint, key id, signature. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const guard = await auditRouteAccess(request, "export.manifest");
  if ("response" in guard) return guard.response;
  const { id } = await params;
  if (!isUuid(id)) return NextResponse.json({ error: "No export has this id." }, { status: 404 });
  const found = await loadManifest(guard.actor, id);
  if (!found.ok) return NextResponse.json({ error: found.message }, { status: found.status });
  return new Response(found.text, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${found.manifest.fileName}.manifest.json"`,
      "Cache-Control": "no-store",
    },
  });
}
