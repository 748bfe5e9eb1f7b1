import "server-only";
import type { ExportFormat } from "@/lib/domain/history-export-format";
import { csvRow } from "@/lib/domain/csv";
import { Prisma } from "../db/generated/client";
import type { LineFormat } from "./binary-copy-lines";
import type { CsvCell } from "./csv-line-writer";
import type { JsonField } from "./json-line-writer";

// What each exported row holds. PostgreSQL sends the columns as text; the server writes CSV
// records or JSON objects from their bytes (no value becomes a JavaScript string unless it needs
// escaping). One column list per kind gives both formats.

// "safe": text that can never need quoting or neutralising (hex hashes), written as is.
// "time" and "uuid": the column itself (timestamptz, uuid), sent in binary and written by the server.
// "members": a JSON object whose members are written into the line itself (JSON Lines only).
type Column = {
  header: string;
  key: string;
  sql: Prisma.Sql;
  type: "text" | "safe" | "uuid" | "number" | "time" | "json" | "array" | "members";
  only?: ExportFormat;
};

const col = (header: string, key: string, sql: string, type: Column["type"] = "text", only?: ExportFormat): Column => ({
  header,
  key,
  sql: Prisma.raw(sql),
  type,
  only,
});
const REFERENCE = (n: string) => `'CHG-' || lpad(${n}::text, 6, '0')`;

// An audit event's JSON line is its hash, its previous hash, then the members of the very bytes
// the hash covers (hashed_content), so a verifier hashes what it reads without rebuilding
// canonical JSON: `{"hash":H,"prevHash":P,` + hashed_content without its `{`. Events older than
// hashed_content get their content from the columns (same fields; verified the slow way).
// The CSV lists the columns and adds the change's reference.
export const EVENT_EXPORT_COLUMNS: Column[] = [
  col("seq", "seq", "e.seq", "number", "csv"),
  col("occurred_at", "occurredAt", "e.occurred_at", "time", "csv"),
  col("actor_email", "actorEmail", "e.actor_email", "text", "csv"),
  col("actor_id", "actorId", "e.actor_id", "uuid", "csv"),
  col("action", "action", "e.action", "text", "csv"),
  col("entity_type", "entityType", "e.entity_type", "text", "csv"),
  col("entity_id", "entityId", "e.entity_id", "text", "csv"),
  col("change", "change", `CASE WHEN c.number IS NULL THEN NULL ELSE ${REFERENCE("c.number")} END`, "text", "csv"),
  col("change_id", "changeId", "e.change_id", "uuid", "csv"),
  col("reason", "reason", "e.reason", "text", "csv"),
  col("client_address", "clientAddress", "e.client_address", "text", "csv"),
  col("before", "before", "e.before", "json", "csv"),
  col("after", "after", "e.after", "json", "csv"),
  col("hash", "hash", "e.hash", "safe", "jsonl"),
  col("prev_hash", "prevHash", "e.prev_hash", "safe"),
  col("hash", "hash", "e.hash", "safe", "csv"),
  col("content", "content", "COALESCE(e.hashed_content, audit_event_content(e)::text)", "members", "jsonl"),
];

export const CHANGE_EXPORT_COLUMNS: Column[] = [
  col("reference", "reference", REFERENCE("c.number")),
  col("title", "title", "c.title"),
  col("type", "type", "c.type::text"),
  col("state", "state", "c.state::text"),
  col("risk_level", "riskLevel", "c.risk_level::text"),
  col("risk_score", "riskScore", "c.risk_score", "number"),
  col("requester", "requesterEmail", "r.email"),
  col("implementer", "implementerEmail", "i.email"),
  col(
    "configuration_items",
    "ciNames",
    `(SELECT string_agg(ci.name, '; ' ORDER BY ci.name) FROM change_cis cc JOIN configuration_items ci ON ci.id = cc.ci_id WHERE cc.change_id = c.id)`,
  ),
  col("framework_tags", "frameworkTags", "c.framework_tags", "array"),
  col("planned_start", "plannedStart", "c.planned_start", "time"),
  col("planned_end", "plannedEnd", "c.planned_end", "time"),
  col("submitted_at", "submittedAt", "c.submitted_at", "time"),
  col("authorized_at", "authorizedAt", "c.authorized_at", "time"),
  col("implemented_at", "implementedAt", "c.implemented_at", "time"),
  col("outcome", "outcome", "c.outcome::text"),
  col("closed_at", "closedAt", "c.closed_at", "time"),
  col("created_at", "createdAt", "c.created_at", "time"),
  col("id", "id", "c.id", "uuid"),
  col("number", "number", "c.number", "number", "jsonl"),
];

// The CSV cells: times and UUIDs in binary, numbers and hashes as text that never needs quoting or
// neutralising, the rest as text cells (csv-line-writer.ts).
function csvColumn(c: Column): { sql: Prisma.Sql; cell: CsvCell } {
  switch (c.type) {
    case "members":
      throw new Error(`Column ${c.header} is for JSON Lines only.`);
    case "time":
    case "uuid":
      return { sql: c.sql, cell: c.type };
    case "number":
    case "safe":
      return { sql: Prisma.sql`${c.sql}::text`, cell: "plain" };
    case "array":
      return { sql: Prisma.sql`array_to_string(${c.sql}, '; ')`, cell: "text" };
    default:
      return { sql: Prisma.sql`${c.sql}::text`, cell: "text" };
  }
}

// The JSON values: times and UUIDs in binary, written as strings; numbers and JSON (jsonb, arrays
// through to_json) as text written into the line as it is; the rest as text made JSON strings
// (json-line-writer.ts).
function jsonColumn(c: Column): { sql: Prisma.Sql; field: JsonField } {
  switch (c.type) {
    case "time":
    case "uuid":
      return { sql: c.sql, field: { key: c.key, raw: false, binary: c.type } };
    case "number":
    case "json":
      return { sql: Prisma.sql`${c.sql}::text`, field: { key: c.key, raw: true } };
    case "array":
      return { sql: Prisma.sql`to_json(${c.sql})::text`, field: { key: c.key, raw: true } };
    case "members":
      return { sql: c.sql, field: { key: c.key, raw: true, members: true } };
    default:
      return { sql: Prisma.sql`${c.sql}::text`, field: { key: c.key, raw: false } };
  }
}

/**
 * What the export's query selects (text columns, read with a binary COPY; `select` is `columns`
 * joined), and how each row becomes a line of the file (BinaryCopyLines): a CSV record or a JSON object.
 */
export type ExportLines = {
  header: string;
  columns: Prisma.Sql[];
  select: Prisma.Sql;
  format: LineFormat;
  contentType: string;
  extension: string;
};

export function exportLines(columns: Column[], format: ExportFormat): ExportLines {
  const used = columns.filter((c) => !c.only || c.only === format);
  const selecting = (sqls: Prisma.Sql[]) => ({ columns: sqls, select: Prisma.join(sqls, ", ") });
  if (format === "csv") {
    const csv = used.map(csvColumn);
    return {
      header: csvRow(used.map((c) => c.header)),
      ...selecting(csv.map((c) => c.sql)),
      format: { kind: "csv", cells: csv.map((c) => c.cell) },
      contentType: "text/csv; charset=utf-8",
      extension: "csv",
    };
  }
  const json = used.map(jsonColumn);
  return {
    header: "",
    ...selecting(json.map((j) => j.sql)),
    format: { kind: "json", fields: json.map((j) => j.field) },
    contentType: "application/x-ndjson; charset=utf-8",
    extension: "jsonl",
  };
}
