import type { AuditEventRecord } from "./audit-event";
import { canonicalJson } from "./canonical-json";

export type FieldChange = {
  seq: number;
  occurredAt: string;
  actorEmail: string | null;
  action: string;
  field: string;
  before: string;
  after: string;
};

const shown = (value: unknown): string =>
  value === undefined || value === null || value === "" ? "—" : typeof value === "string" ? value : canonicalJson(value);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every field an event changed, with its value before and after, oldest first (from the audit log, not the row). */
export function fieldChanges(events: readonly AuditEventRecord[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const e of events) {
    if (!isRecord(e.before) || !isRecord(e.after)) continue;
    const before = e.before;
    const after = e.after;
    for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (!(field in after)) continue;
      const was = shown(before[field]);
      const now = shown(after[field]);
      if (was !== now)
        changes.push({ seq: e.seq, occurredAt: e.occurredAt, actorEmail: e.actorEmail, action: e.action, field, before: was, after: now });
    }
  }
  return changes;
}
