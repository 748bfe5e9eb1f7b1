import "server-only";
import { activeFilters, type HistoryFilters } from "@/lib/domain/history-filters";
import type { ExportFormat } from "@/lib/domain/history-export-format";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import { env } from "../env";
import {
  CHANGE_FROM,
  changeConditions,
  EVENT_FROM,
  EVENT_FROM_CHANGE_NUMBER,
  eventConditionAlternatives,
  eventConditionsReadChange,
} from "../history/history-query";
import { CHANGE_EXPORT_COLUMNS, EVENT_EXPORT_COLUMNS, exportLines } from "./export-lines";
import { beginExport, completeExport, exportStamp } from "./record-export";
import { exportConnection, streamLines } from "./stream-query";

export const EXPORT_KINDS = ["changes", "audit_events"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export type StartedExport = {
  exportId: string;
  fileName: string;
  contentType: string;
  expectedRows: number;
  stream: ReadableStream<Uint8Array>;
};

// The rows of an export: the search's own conditions (lib/server/history/history-query.ts), so a
// file holds exactly what the search finds. Events in chain order up to the head at export time:
// the export's own event is the last one an unfiltered export holds, and nothing later slips in.
function plan(kind: ExportKind, format: ExportFormat, filters: HistoryFilters) {
  if (kind === "changes") {
    const lines = exportLines(CHANGE_EXPORT_COLUMNS, format);
    const where = changeConditions(filters);
    return {
      lines,
      query: () => Prisma.sql`SELECT ${lines.select} FROM ${CHANGE_FROM} WHERE ${where} ORDER BY c.number`,
      count: () => Prisma.sql`SELECT count(*)::int AS n FROM change_requests c WHERE ${where}`,
    };
  }
  const lines = exportLines(EVENT_EXPORT_COLUMNS, format);
  const alternatives = eventConditionAlternatives(filters);
  if (alternatives.length === 1) {
    const where = alternatives[0]!;
    // The CSV reads the change's number for its reference; JSON Lines reads nothing of the change,
    // and the planner drops EVENT_FROM's join.
    const from = format === "csv" && !eventConditionsReadChange(filters) ? EVENT_FROM_CHANGE_NUMBER : EVENT_FROM;
    return {
      lines,
      query: (head: number) => Prisma.sql`SELECT ${lines.select} FROM ${from} WHERE ${where} AND e.seq <= ${head} ORDER BY e.seq`,
      count: (head: number) => Prisma.sql`SELECT count(*)::int AS n FROM ${EVENT_FROM} WHERE ${where} AND e.seq <= ${head}`,
    };
  }
  // A text search: each alternative apart, merged in chain order, an event that matches both once.
  const named = Prisma.join(
    lines.columns.map((c, i) => Prisma.sql`${c} AS ${Prisma.raw(`x${i}`)}`),
    ", ",
  );
  const outer = Prisma.raw(lines.columns.map((_, i) => `u.x${i}`).join(", "));
  const union = (select: Prisma.Sql, head: number) =>
    Prisma.join(
      alternatives.map((w) => Prisma.sql`(SELECT ${select} FROM ${EVENT_FROM} WHERE ${w} AND e.seq <= ${head} ORDER BY e.seq)`),
      " UNION ALL ",
    );
  return {
    lines,
    query: (head: number) =>
      Prisma.sql`SELECT DISTINCT ON (u.seq) ${outer} FROM (${union(Prisma.sql`e.seq, ${named}`, head)}) u ORDER BY u.seq`,
    count: (head: number) =>
      Prisma.sql`SELECT count(*)::int AS n FROM (SELECT DISTINCT ON (u.seq) u.seq FROM (${union(Prisma.sql`e.seq`, head)}) u ORDER BY u.seq) d`,
  };
}

/** The query an export of these rows runs, up to the chain head `head` for events (the bench's COPY baseline runs it too). */
export function historyExportQuery(kind: ExportKind, format: ExportFormat, filters: HistoryFilters, head: number): Prisma.Sql {
  return plan(kind, format, filters).query(head);
}

/**
 * Starts an export of the history search: its audit event and a signed checkpoint first
 * (beginExport), then the rows as PostgreSQL writes them; the manifest is complete once the
 * stream has sent its last byte. The expected row count (a header, for progress) is read after
 * beginExport has let go of the chain head, while the stream opens its COPY: counting a million
 * events takes ~0.5 s, which every audited action in the portal would otherwise wait for.
 */
export async function startHistoryExport(
  actor: Actor,
  kind: ExportKind,
  format: ExportFormat,
  filters: HistoryFilters,
): Promise<StartedExport> {
  await refuseReadUnlessCan(actor, "audit.read");
  const { lines, query, count } = plan(kind, format, filters);
  const fileName = `${kind === "changes" ? "changes" : "audit-events"}-${exportStamp(new Date())}.${lines.extension}`;
  const active = activeFilters(filters);
  // The export's own connection first: when exports are all busy, nothing is audited or sent.
  const client = await exportConnection();
  let begun: { exportId: string; headSeq: number };
  try {
    begun = await beginExport(actor, {
      kind,
      format,
      fileName,
      filters: active,
      audit: { action: "audit.exported", entityType: "data_export", after: { kind, format, fileName, filters: active } },
    });
  } catch (error) {
    client.release();
    throw error;
  }
  const { exportId, headSeq } = begun;
  const stream = streamLines({
    client,
    query: query(headSeq),
    format: lines.format,
    header: lines.header,
    maxDurationMs: env().EXPORT_MAX_SECONDS * 1000,
    onComplete: (result) => completeExport(exportId, result),
  });
  try {
    const [counted] = await db().$queryRaw<{ n: number }[]>(count(headSeq));
    return { exportId, fileName, contentType: lines.contentType, expectedRows: counted?.n ?? 0, stream };
  } catch (error) {
    await stream.cancel();
    throw error;
  }
}
