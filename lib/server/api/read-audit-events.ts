import "server-only";
import { ok, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { searchEvents } from "../history/search-history";
import { encodeKeyCursor } from "./api-cursor";
import { pageRead } from "./api-pages";
import { EVENT_CURSOR, type AuditEventQuery, type AuditEventResource } from "./audit-schemas";

// The words of the auditors' routes (audit-route-guard.ts), for the read's 403.
const AUDIT_ONLY = "Only auditors and admins can read and export the audit history.";

/** One page of the history search's events, newest first, keyset on seq. */
export async function listAuditEventsForApi(
  actor: Actor,
  query: AuditEventQuery,
): Promise<Result<{ items: AuditEventResource[]; nextCursor: string | null }>> {
  const { cursor, limit, ...filters } = query;
  const read = await pageRead(() => searchEvents(actor, filters, cursor, limit), AUDIT_ONLY);
  if (!read.ok) return read;
  const { rows, nextCursor } = read.value;
  return ok({
    // The export's line holds the event's own members, not the change's title the page adds.
    items: rows.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt,
      actorId: e.actorId,
      actorEmail: e.actorEmail,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      changeId: e.changeId,
      before: e.before,
      after: e.after,
      reason: e.reason,
      clientAddress: e.clientAddress,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
    nextCursor: nextCursor === null ? null : encodeKeyCursor(EVENT_CURSOR, nextCursor),
  });
}
