import "server-only";
import { csvRow } from "@/lib/domain/csv";
import { parseReportFilters, reportBySlug } from "@/lib/domain/exception-reports";
import type { Params } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { meteredStream } from "../exports/metered-stream";
import { beginExport, completeExport, exportStamp } from "../exports/record-export";
import { env } from "../env";
import { runReport } from "./run-report";

const BATCH = 500;

/**
 * A report as CSV, read a page at a time as the client reads (flat memory). Like every export it
 * is an audit event, written before the first byte leaves, and has a manifest (row count,
 * SHA-256, signed checkpoint) once the last byte has been sent. The report's filters, from the
 * page's query string, narrow it as on the page and are recorded with the export.
 */
export async function exportReportCsv(
  actor: Actor,
  slug: string,
  params: Params = {},
): Promise<{ exportId: string; fileName: string; stream: ReadableStream<Uint8Array> } | null> {
  await refuseReadUnlessCan(actor, "audit.read");
  const report = reportBySlug(slug);
  if (!report) return null;
  const { values, applied } = parseReportFilters(report, params);
  const fileName = `${slug}-${exportStamp(new Date())}.csv`;
  const { exportId } = await beginExport(actor, {
    kind: "report",
    format: "csv",
    fileName,
    filters: { report: slug, ...values },
    audit: {
      action: "audit.report_exported",
      entityType: "report",
      entityId: slug,
      after: { report: slug, format: "csv", fileName, ...(Object.keys(values).length ? { filters: values } : {}) },
    },
  });
  let after: string | null = null;
  let done = false;
  const stream = meteredStream({
    header: csvRow(report.columns.map((c) => c.header)),
    nextBatch: async () => {
      if (done) return null;
      const page = await runReport(actor, slug, { after, limit: BATCH, filters: applied });
      after = page?.nextCursor ?? null;
      done = after === null;
      const rows = page?.rows ?? [];
      return { bytes: rows.map((row) => csvRow(report.columns.map((c) => c.value(row)))).join(""), rows: rows.length };
    },
    close: async () => undefined,
    maxDurationMs: env().EXPORT_MAX_SECONDS * 1000,
    onComplete: (result) => completeExport(exportId, result),
  });
  return { exportId, fileName, stream };
}
