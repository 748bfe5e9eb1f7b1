import "server-only";
import type { CabQueueFilters } from "@/lib/domain/cab-queue-params";
import type { Principal } from "@/lib/domain/decide-vote";
import type { Actor } from "../auth/current-actor";
import { listCabQueue, type CabQueueRow } from "./list-cab-queue";
import { db } from "../db/db";

/**
 * For a delegate: per delegator, the first page of what awaits the delegator's vote, less the
 * changes the delegate may not vote on (theirs to request or implement, or where they or the delegator
 * already have a vote this round). The vote itself decides again, under the change's lock.
 */
export async function listDelegatedQueue(delegate: Actor, principals: readonly Principal[], filters: CabQueueFilters) {
  return Promise.all(
    principals.map(async (principal) => {
      const asDelegator = { ...delegate, id: principal.id, roles: [...principal.roles] };
      const { rows } = await listCabQueue(asDelegator, { ...filters, after: undefined });
      return { principal, rows: await withoutBarred(delegate.id, principal.id, rows) };
    }),
  );
}

async function withoutBarred(delegateId: string, principalId: string, rows: CabQueueRow[]): Promise<CabQueueRow[]> {
  if (rows.length === 0) return rows;
  const ids = rows.map((r) => r.id);
  const barred = await db().$queryRaw<{ id: string }[]>`
    SELECT c.id::text AS id FROM change_requests c
     WHERE c.id = ANY(${ids}::uuid[])
       AND (c.requester_id = ${delegateId}::uuid OR c.implementer_id = ${delegateId}::uuid
            OR EXISTS (SELECT 1 FROM approval_rounds r JOIN votes v ON v.round_id = r.id
                        WHERE r.change_id = c.id AND r.number = c.approval_round
                          AND (v.voter_id = ${delegateId}::uuid OR v.on_behalf_of_id IN (${delegateId}::uuid, ${principalId}::uuid))))`;
  const out = new Set(barred.map((b) => b.id));
  return rows.filter((r) => !out.has(r.id));
}
