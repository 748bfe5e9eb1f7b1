import "server-only";
import { randomUUID } from "node:crypto";
import { activeFilters, type HistoryFilters } from "@/lib/domain/history-filters";
import {
  changeWriter, eventWriter, type ChangeExportRow, type EventExportRow, type ExportFormat, type ExportWriter,
} from "@/lib/domain/history-export-format";
import { appendAuditEvent } from "../audit/append-audit-event";
import { takeCheckpoint } from "../audit/checkpoints";
import { toAuditRecord } from "../audit/read-audit-events";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../auth/request-address";
import { db } from "../db/db";
import { Prisma } from "../db/generated/client";
import { inTransaction } from "../db/transaction";
import {
  CHANGE_COLUMNS, CHANGE_FROM, changeConditions, EVENT_COLUMNS, EVENT_FROM, eventConditions,
  type ChangeHistoryRow, type EventHistoryRow,
} from "../history/history-query";
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

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

/**
 * Starts an export of the history search. The export is an audit event, and a signed checkpoint
 * of the chain head (which includes that event) is taken in the same transaction; both go into
 * the manifest, which is complete once the stream has sent its last byte.
 */
export async function startHistoryExport(actor: Actor, kind: ExportKind, format: ExportFormat, filters: HistoryFilters): Promise<StartedExport> {
  const plan: Plan<never, unknown> = (kind === "changes" ? changePlan(filters, format) : eventPlan(filters, format)) as Plan<never, unknown>;
  const exportId = randomUUID();
  const startedAt = new Date();
  const fileName = `${kind === "changes" ? "changes" : "audit-events"}-${stamp(startedAt)}.${plan.writer.extension}`;
  const clientAddress = await requestAddress();
  const { headSeq, expectedRows } = await inTransaction(async (tx) => {
    await appendAuditEvent(tx, {
      actor, action: "audit.exported", entityType: "data_export", entityId: exportId, clientAddress,
      after: { kind, format, fileName, filters: activeFilters(filters) },
    });
    const checkpoint = await takeCheckpoint(tx, "export", actor.id);
    await tx.dataExport.create({
      data: {
        id: exportId, kind, fileFormat: format, fileName, filters: activeFilters(filters), exportedById: actor.id, startedAt,
        chainHeadSeq: BigInt(checkpoint.seq), chainHeadHash: checkpoint.hash, checkpoint,
      },
    });
    const [count] = await tx.$queryRaw<{ n: number }[]>(plan.count(checkpoint.seq));
    return { headSeq: checkpoint.seq, expectedRows: count?.n ?? 0 };
  });
  const query = plan.query(headSeq);
  const stream = streamQuery<never>({
    query: { text: query.text, values: query.values },
    header: plan.writer.header,
    line: (row) => plan.writer.line(plan.toRow(row)),
    onComplete: async ({ rowCount, sha256 }) => {
      await db().dataExport.update({ where: { id: exportId }, data: { rowCount, sha256, completedAt: new Date() } });
    },
  });
  return { exportId, fileName, contentType: plan.writer.contentType, expectedRows, stream };
}
