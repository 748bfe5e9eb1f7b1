import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { EXPORT_FORMATS } from "@/lib/domain/history-export-format";
import { historyFiltersSchema } from "@/lib/domain/history-filters";
import { repeatedParams } from "@/lib/domain/search-params";
import { auditRouteAccess } from "../api/audit-route-guard";
import { DATABASE_BUSY, DatabaseBusyError, isDatabaseBusy } from "../db/database-busy";
import { startHistoryExport, type ExportKind } from "./export-history";

const exportRequestSchema = historyFiltersSchema.extend({
  format: z.enum(EXPORT_FORMATS, "Say format=csv or format=jsonl."),
});

function refuseExport(problems: string[]): Response {
  return NextResponse.json({ error: `The export was not started. ${problems.join("; ").slice(0, 500)}` }, { status: 400 });
}

/**
 * GET handler of an export: refuses a cross-site request, checks the session (or an audit:read token) and the role itself, refuses a malformed filter
 * (an export must hold exactly what was asked for, so nothing is silently dropped), then streams.
 */
export async function handleHistoryExport(request: Request, kind: ExportKind, fixed: Record<string, string> = {}): Promise<Response> {
  const guard = await auditRouteAccess(request, `export.${kind}`);
  if ("response" in guard) return guard.response;
  // Everything is checked before the first byte: once the headers are sent, a refusal can only cut the download.
  const search = new URL(request.url).searchParams;
  const repeated = repeatedParams(search);
  if (repeated.length) return refuseExport(repeated.map((name) => `${name}: give it once.`));
  const parsed = exportRequestSchema.safeParse({ ...Object.fromEntries(search), ...fixed });
  if (!parsed.success) return refuseExport(parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`));
  const { format, ...filters } = parsed.data;
  let started: Awaited<ReturnType<typeof startHistoryExport>>;
  try {
    started = await startHistoryExport(guard.actor, kind, format, filters);
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
    const message = error instanceof DatabaseBusyError ? error.message : DATABASE_BUSY;
    return NextResponse.json({ error: `The export was not started. ${message}` }, { status: 503, headers: { "Retry-After": "30" } });
  }
  return new Response(started.stream, {
    headers: {
      "Content-Type": started.contentType,
      "Content-Disposition": `attachment; filename="${started.fileName}"`,
      // no-transform: not gzipped by the server (the bench measured compression as the export's bottleneck).
      "Cache-Control": "no-store, no-transform",
      "X-Export-Id": started.exportId,
      "X-Export-Expected-Rows": String(started.expectedRows),
      "X-Export-Manifest": `/api/exports/${started.exportId}/manifest`,
    },
  });
}
