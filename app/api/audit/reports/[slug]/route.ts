import { NextResponse } from "next/server";
import { auditRouteAccess } from "@/lib/server/api/audit-route-guard";
import { exportReportCsv } from "@/lib/server/reports/export-report-csv";

/** One exception report as CSV; the route checks the session and role itself, and the export is audited. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const access = await auditRouteAccess(request, "audit.report_export");
  if ("response" in access) return access.response;
  const exported = await exportReportCsv(access.actor, (await params).slug, Object.fromEntries(new URL(request.url).searchParams));
  if (!exported) return NextResponse.json({ error: "No such report." }, { status: 404 });
  return new Response(exported.stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exported.fileName}"`,
      // no-transform: not gzipped by the server (the bench measured compression as the export's bottleneck).
      "Cache-Control": "no-store, no-transform",
      "X-Export-Id": exported.exportId,
      "X-Export-Manifest": `/api/exports/${exported.exportId}/manifest`,
    },
  });
}
