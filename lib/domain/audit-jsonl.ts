import type { AuditEventRecord } from "./audit-event";
import { canonicalJson } from "./canonical-json";

/** One audit event as a JSON Lines record: canonical JSON, so equal events give equal bytes. */
export function auditJsonLine(event: AuditEventRecord): string {
  return canonicalJson(event);
}

const FIELDS = ["seq", "occurredAt", "actorId", "actorEmail", "action", "entityType", "entityId", "changeId", "before", "after", "reason", "clientAddress", "prevHash", "hash"] as const;

/** Reads one exported line back; a line that is not an audit event says so, with its line number. */
export function parseAuditJsonLine(line: string, lineNumber: number): AuditEventRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`Line ${lineNumber} is not valid JSON.`);
  }
  const record = value as Record<string, unknown>;
  const missing = FIELDS.filter((f) => !(f in (record ?? {})));
  if (typeof record !== "object" || record === null || missing.length > 0) throw new Error(`Line ${lineNumber} is not an audit event (missing ${missing.join(", ")}).`);
  if (!Number.isSafeInteger(record.seq)) throw new Error(`Line ${lineNumber} has no valid sequence number.`);
  return record as unknown as AuditEventRecord;
}
