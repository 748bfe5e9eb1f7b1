import "server-only";
import { csvRow } from "@/lib/domain/csv";
import { reportBySlug } from "@/lib/domain/exception-reports";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../auth/request-address";
import { inTransaction } from "../db/transaction";
import { runReport } from "./run-report";

const BATCH = 500;

/**
 * A report as CSV, read a page at a time as the client reads (flat memory). The export is an audit
 * event, written before the first byte leaves.
 */
export async function exportReportCsv(actor: Actor, slug: string): Promise<{ fileName: string; stream: ReadableStream<Uint8Array> } | null> {
  const report = reportBySlug(slug);
  if (!report) return null;
  const startedAt = new Date();
  const fileName = `${slug}-${startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.csv`;
  const clientAddress = await requestAddress();
  await inTransaction((tx) => appendAuditEvent(tx, { actor, action: "audit.report_exported", entityType: "report", entityId: slug, after: { report: slug, format: "csv", fileName }, clientAddress }));
  const encoder = new TextEncoder();
  let after: string | null = null;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(report.columns.map((c) => c.header))));
    },
    async pull(controller) {
      if (done) return controller.close();
      const page = await runReport(slug, { after, limit: BATCH });
      const rows = page?.rows ?? [];
      if (rows.length) controller.enqueue(encoder.encode(rows.map((row) => csvRow(report.columns.map((c) => c.value(row)))).join("")));
      after = page?.nextCursor ?? null;
      done = after === null;
      if (done) controller.close();
    },
  }, { highWaterMark: 1 });
  return { fileName, stream };
}
