import "server-only";
import type { AuditEventRecord } from "@/lib/domain/audit-event";
import type { ChangeViewer } from "@/lib/domain/change-visibility";
import { db } from "../db/db";
import { Prisma } from "../db/generated/client";
import { visibleChangesSql } from "../db/visible-changes";
import { toAuditRecord, type AuditEventRow } from "./read-audit-events";

export const TIMELINE_PAGE_SIZE = 20;

/**
 * One page of a change's history for its timeline: the latest events before `beforeSeq` (keyset
 * on the (change_id, seq) index), oldest first, and the cursor of the page before it, if any;
 * none on a change the viewer may not open.
 */
export async function readChangeTimeline(
  viewer: ChangeViewer,
  changeId: string,
  beforeSeq?: number,
): Promise<{ events: AuditEventRecord[]; earlierBefore: number | null }> {
  // Raw SQL: a measured hot path, its plan on the (change_id, seq) index checked by the bench (docs/performance.md).
  const rows = await db().$queryRaw<AuditEventRow[]>`
    SELECT seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash
    FROM audit_events
    WHERE change_id = ${changeId}::uuid AND seq < ${beforeSeq ?? Number.MAX_SAFE_INTEGER} ${visibleChangesSql(viewer, Prisma.sql`${changeId}::uuid`)}
    ORDER BY seq DESC LIMIT ${TIMELINE_PAGE_SIZE + 1}`;
  const more = rows.length > TIMELINE_PAGE_SIZE;
  const events = rows.slice(0, TIMELINE_PAGE_SIZE).map(toAuditRecord).reverse();
  return { events, earlierBefore: more ? events[0]!.seq : null };
}
