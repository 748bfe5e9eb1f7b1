// The formats an export of the history search comes in: CSV for spreadsheets (RFC 4180, formulas
// neutralised), JSON Lines for a SIEM (one JSON object per line; an audit event has exactly the
// fields its hash covers, so a JSON Lines file of events can be verified). The lines themselves are
// written by PostgreSQL (lib/server/exports/export-lines.ts), with the same rules as lib/domain/csv.ts.
export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
