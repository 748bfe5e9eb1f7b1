import type { AuditEventRecord } from "./audit-event";
import { auditJsonLine } from "./audit-jsonl";
import { canonicalJson } from "./canonical-json";
import { changeReference } from "./change-visibility";
import { csvRow, type CsvValue } from "./csv";

// How one row of the history search is written to a file. CSV for spreadsheets (a header row,
// then one record per row), JSON Lines for a SIEM (one canonical JSON object per line; an audit
// event keeps exactly the fields its hash covers, so a JSON Lines file of events can be verified).

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ChangeExportRow = {
  id: string; number: number; title: string; type: string; state: string; riskLevel: string | null; riskScore: number | null;
  requesterEmail: string; implementerEmail: string | null; ciNames: string | null; frameworkTags: string[];
  plannedStart: Date | null; plannedEnd: Date | null; submittedAt: Date | null; authorizedAt: Date | null;
  implementedAt: Date | null; outcome: string | null; closedAt: Date | null; createdAt: Date;
};

export type EventExportRow = AuditEventRecord & { changeNumber: number | null };

type Column<R> = [header: string, value: (row: R) => CsvValue];

const CHANGE_COLUMNS: Column<ChangeExportRow>[] = [
  ["reference", (r) => changeReference(r.number)],
  ["title", (r) => r.title],
  ["type", (r) => r.type],
  ["state", (r) => r.state],
  ["risk_level", (r) => r.riskLevel],
  ["risk_score", (r) => r.riskScore],
  ["requester", (r) => r.requesterEmail],
  ["implementer", (r) => r.implementerEmail],
  ["configuration_items", (r) => r.ciNames],
  ["framework_tags", (r) => r.frameworkTags.join("; ")],
  ["planned_start", (r) => r.plannedStart],
  ["planned_end", (r) => r.plannedEnd],
  ["submitted_at", (r) => r.submittedAt],
  ["authorized_at", (r) => r.authorizedAt],
  ["implemented_at", (r) => r.implementedAt],
  ["outcome", (r) => r.outcome],
  ["closed_at", (r) => r.closedAt],
  ["created_at", (r) => r.createdAt],
  ["id", (r) => r.id],
];

const json = (value: unknown) => (value === null || value === undefined ? null : canonicalJson(value));

const EVENT_COLUMNS: Column<EventExportRow>[] = [
  ["seq", (r) => r.seq],
  ["occurred_at", (r) => r.occurredAt],
  ["actor_email", (r) => r.actorEmail],
  ["actor_id", (r) => r.actorId],
  ["action", (r) => r.action],
  ["entity_type", (r) => r.entityType],
  ["entity_id", (r) => r.entityId],
  ["change", (r) => (r.changeNumber === null ? null : changeReference(r.changeNumber))],
  ["change_id", (r) => r.changeId],
  ["reason", (r) => r.reason],
  ["client_address", (r) => r.clientAddress],
  ["before", (r) => json(r.before)],
  ["after", (r) => json(r.after)],
  ["prev_hash", (r) => r.prevHash],
  ["hash", (r) => r.hash],
];

const header = <R>(columns: Column<R>[]) => csvRow(columns.map(([h]) => h));
const record = <R>(columns: Column<R>[], row: R) => csvRow(columns.map(([, value]) => value(row)));

export type ExportWriter<R> = { contentType: string; extension: string; header: string; line: (row: R) => string };

const NDJSON = "application/x-ndjson; charset=utf-8";
const CSV = "text/csv; charset=utf-8";

export function changeWriter(format: ExportFormat): ExportWriter<ChangeExportRow> {
  if (format === "csv") return { contentType: CSV, extension: "csv", header: header(CHANGE_COLUMNS), line: (r) => record(CHANGE_COLUMNS, r) };
  return {
    contentType: NDJSON,
    extension: "jsonl",
    header: "",
    line: (r) => canonicalJson({ ...r, reference: changeReference(r.number), ...Object.fromEntries(
      (["plannedStart", "plannedEnd", "submittedAt", "authorizedAt", "implementedAt", "closedAt", "createdAt"] as const).map((k) => [k, r[k]?.toISOString() ?? null]),
    ) }) + "\n",
  };
}

function storedEvent(row: EventExportRow): AuditEventRecord {
  const event: Partial<EventExportRow> = { ...row };
  delete event.changeNumber;
  return event as AuditEventRecord;
}

export function eventWriter(format: ExportFormat): ExportWriter<EventExportRow> {
  if (format === "csv") return { contentType: CSV, extension: "csv", header: header(EVENT_COLUMNS), line: (r) => record(EVENT_COLUMNS, r) };
  // Only the stored event: the line hashes back to its own `hash` (the change reference is in the CSV).
  return { contentType: NDJSON, extension: "jsonl", header: "", line: (row) => auditJsonLine(storedEvent(row)) + "\n" };
}
