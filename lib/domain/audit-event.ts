import { canonicalJson, jsonString } from "./canonical-json";

/** One audit event as it is stored and exported. Everything but `hash` is covered by `hash`. */
export type AuditEventRecord = {
  seq: number;
  occurredAt: string; // ISO 8601, UTC, millisecond precision
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changeId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  clientAddress: string | null;
  prevHash: string;
  hash: string;
};

type HashedFields = Omit<AuditEventRecord, "hash" | "prevHash">;

/** The fields the hash covers, besides the previous hash it is chained to. One place, for writer and verifier. */
export function hashedContent(event: HashedFields): Record<string, unknown> {
  // Keys in canonical (sorted) order, so canonical JSON need not sort them.
  return {
    action: event.action,
    actorEmail: event.actorEmail,
    actorId: event.actorId,
    after: event.after ?? null,
    before: event.before ?? null,
    changeId: event.changeId,
    clientAddress: event.clientAddress,
    entityId: event.entityId,
    entityType: event.entityType,
    occurredAt: event.occurredAt,
    reason: event.reason,
    seq: event.seq,
  };
}

const text = (v: unknown): v is string | null => v === null || typeof v === "string";
const str = (v: string | null) => (v === null ? "null" : jsonString(v));
const nested = (v: unknown) => (v === null || v === undefined ? "null" : canonicalJson(v));

/**
 * canonicalJson(hashedContent(event)), written field by field for the one fixed shape: the
 * chain verifier runs it for every event. Any field of an unexpected type (a tampered export
 * line) goes the generic way, which gives the same text or the same refusal.
 */
export function hashedContentJson(event: HashedFields): string {
  const e = event;
  if (!(
    text(e.action) &&
    text(e.actorEmail) &&
    text(e.actorId) &&
    text(e.changeId) &&
    text(e.clientAddress) &&
    text(e.entityId) &&
    text(e.entityType) &&
    text(e.occurredAt) &&
    text(e.reason) &&
    typeof e.seq === "number" &&
    Number.isFinite(e.seq)
  )) {
    return canonicalJson(hashedContent(event));
  }
  return (
    '{"action":' +
    str(e.action) +
    ',"actorEmail":' +
    str(e.actorEmail) +
    ',"actorId":' +
    str(e.actorId) +
    ',"after":' +
    nested(e.after) +
    ',"before":' +
    nested(e.before) +
    ',"changeId":' +
    str(e.changeId) +
    ',"clientAddress":' +
    str(e.clientAddress) +
    ',"entityId":' +
    str(e.entityId) +
    ',"entityType":' +
    str(e.entityType) +
    ',"occurredAt":' +
    str(e.occurredAt) +
    ',"reason":' +
    str(e.reason) +
    ',"seq":' +
    String(e.seq) +
    "}"
  );
}
