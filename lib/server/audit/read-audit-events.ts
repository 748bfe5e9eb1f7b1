import "server-only";
import type { AuditEventRecord } from "@/lib/domain/audit-event";
import { db } from "../db/db";
import { Prisma } from "../db/generated/client";

export type AuditEventRow = {
  // bigint through Prisma; the text of the int8 through node-postgres.
  seq: bigint | string;
  occurred_at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  change_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  client_address: string | null;
  prev_hash: string;
  hash: string;
};

export function toAuditRecord(row: AuditEventRow): AuditEventRecord {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    changeId: row.change_id,
    before: row.before,
    after: row.after,
    reason: row.reason,
    clientAddress: row.client_address,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The columns toAuditRecord reads. */
export const AUDIT_EVENT_COLUMNS = Prisma.raw(
  "seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash",
);

/** Events in chain order from `afterSeq` on (keyset), at most `limit`. */
export async function readAuditEvents(options: { afterSeq?: number; limit: number; changeId?: string }): Promise<AuditEventRecord[]> {
  const rows = await db().$queryRaw<AuditEventRow[]>`
    SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events
    WHERE seq > ${options.afterSeq ?? 0} AND (${options.changeId ?? null}::uuid IS NULL OR change_id = ${options.changeId ?? null}::uuid)
    ORDER BY seq LIMIT ${options.limit}`;
  return rows.map(toAuditRecord);
}
