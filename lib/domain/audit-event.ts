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

/** The fields the hash covers, besides the previous hash it is chained to. One place, for writer and verifier. */
export function hashedContent(event: Omit<AuditEventRecord, "hash" | "prevHash">): Record<string, unknown> {
  return {
    seq: event.seq,
    occurredAt: event.occurredAt,
    actorId: event.actorId,
    actorEmail: event.actorEmail,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    changeId: event.changeId,
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason,
    clientAddress: event.clientAddress,
  };
}
