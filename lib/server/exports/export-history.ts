import "server-only";
import { activeFilters, type HistoryFilters } from "@/lib/domain/history-filters";
import {
  changeWriter, eventWriter, type ChangeExportRow, type EventExportRow, type ExportFormat, type ExportWriter,
} from "@/lib/domain/history-export-format";
import { toAuditRecord } from "../audit/read-audit-events";
import type { Actor } from "../auth/current-actor";
import { Prisma } from "../db/generated/client";
import {
  CHANGE_COLUMNS, CHANGE_FROM, changeConditions, EVENT_COLUMNS, EVENT_FROM, eventConditions,
  type ChangeHistoryRow, type EventHistoryRow,
} from "../history/history-query";
import { beginExport, completeExport, exportStamp } from "./record-export";
import { streamQuery } from "./stream-query";

export const EXPORT_KINDS = ["changes", "audit_events"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export type StartedExport = { exportId: string; fileName: string; contentType: string; expectedRows: number; stream: ReadableStream<Uint8Array> };

type Plan<Row, Out> = { query: (headSeq: number) => Prisma.Sql; count: (headSeq: number) => Prisma.Sql; toRow: (row: Row) => Out; writer: ExportWriter<Out> };

function changePlan(filters: HistoryFilters, format: ExportFormat): Plan<ChangeHistoryRow, ChangeExportRow> {
  const where = changeConditions(filters);
  return {
    query: () => Prisma.sql`SELECT ${CHANGE_COLUMNS} FROM ${CHANGE_FROM} WHERE ${where} ORDER BY c.number`,
    count: () => Prisma.sql`SELECT count(*)::int AS n FROM change_requests c WHERE ${where}`,
    toRow: (r) => ({
      id: r.id, number: r.number, title: r.title, type: r.type, state: r.state, riskLevel: r.risk_level, riskScore: r.risk_score,
      requesterEmail: r.requester_email, implementerEmail: r.implementer_email, ciNames: r.ci_names, frameworkTags: r.framework_tags,
      plannedStart: r.planned_start, plannedEnd: r.planned_end, submittedAt: r.submitted_at, authorizedAt: r.authorized_at,
      implementedAt: r.implemented_at, outcome: r.outcome, closedAt: r.closed_at, createdAt: r.created_at,
    }),
    writer: changeWriter(format),
  };
}

// Events in chain order up to the head at export time: the export's own event is the last one
// an unfiltered export holds, and nothing written after it slips in.
function eventPlan(filters: HistoryFilters, format: ExportFormat): Plan<EventHistoryRow, EventExportRow> {
  const where = eventConditions(filters);
  return {
    query: (head) => Prisma.sql`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE ${where} AND e.seq <= ${head} ORDER BY e.seq`,
    count: (head) => Prisma.sql`SELECT count(*)::int AS n FROM ${EVENT_FROM} WHERE ${where} AND e.seq <= ${head}`,
    toRow: (r) => ({ ...toAuditRecord({ ...r, seq: BigInt(r.seq) }), changeNumber: r.change_number }),
    writer: eventWriter(format),
  };
}

/**
 * Starts an export of the history search: an audit event and a signed checkpoint first
 * (beginExport), then the rows in chain or number order through a cursor; the manifest is
 * complete once the stream has sent its last byte.
 */
export async function startHistoryExport(actor: Actor, kind: ExportKind, format: ExportFormat, filters: HistoryFilters): Promise<StartedExport> {
  const plan: Plan<never, unknown> = (kind === "changes" ? changePlan(filters, format) : eventPlan(filters, format)) as Plan<never, unknown>;
  const fileName = `${kind === "changes" ? "changes" : "audit-events"}-${exportStamp(new Date())}.${plan.writer.extension}`;
  const active = activeFilters(filters);
  const { exportId, headSeq, expectedRows } = await beginExport(
    actor,
    { kind, format, fileName, filters: active, audit: { action: "audit.exported", entityType: "data_export", after: { kind, format, fileName, filters: active } } },
    async (tx, head) => (await tx.$queryRaw<{ n: number }[]>(plan.count(head)))[0]?.n ?? 0,
  );
  const query = plan.query(headSeq);
  const stream = streamQuery<never>({
    query: { text: query.text, values: query.values },
    header: plan.writer.header,
    line: (row) => plan.writer.line(plan.toRow(row)),
    onComplete: (result) => completeExport(exportId, result),
  });
  return { exportId, fileName, contentType: plan.writer.contentType, expectedRows: expectedRows ?? 0, stream };
}
