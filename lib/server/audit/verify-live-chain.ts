import "server-only";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { hashCanonical, verifyChain, GENESIS_HASH, type ChainLink } from "@/lib/domain/audit-chain";
import { hashedContentJson } from "@/lib/domain/audit-event";
import { checkCheckpoint } from "@/lib/domain/check-checkpoint";
import { db } from "../db/db";
import { pgPool } from "../db/pg-pool";
import { auditPublicKeyPem, toStoredCheckpoint } from "./checkpoints";
import { AUDIT_EVENT_COLUMNS, toAuditRecord, type AuditEventRow } from "./read-audit-events";

export type LiveProgress = { checked: number; total: number };

export type LiveVerification = {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  checkpointsChecked: number;
  broken?: { seq: number; problem: string; message: string };
};

/** Events per read; the bench times the same batches. */
export const LIVE_VERIFICATION_BATCH = 2_000;

type Link = ChainLink & { recomputed: string };

type Row = AuditEventRow & { hashed_content: string | null };

/**
 * A batch of events in chain order, read through node-postgres: its rows cost less than half of
 * Prisma's to decode (200,000 events: 174-228k/s against 74-107k/s). Reading the next batch while
 * checking one gained nothing measurable (tried twice; docs/performance.md). Exported for the
 * bench, which times the reads alone beside the whole verification.
 */
export async function readVerificationBatch(afterSeq: number, limit: number): Promise<Row[]> {
  const { rows } = await pgPool().query<Row>({
    name: "verify-live-chain-batch",
    text: `SELECT ${AUDIT_EVENT_COLUMNS.sql}, hashed_content FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
    values: [afterSeq, limit],
  });
  return rows;
}

/**
 * An event's link, its hash recomputed from its columns. The bytes the event keeps for exports
 * (hashed_content) must be exactly that canonical text: if a column or the bytes were changed
 * behind the triggers' back, the event counts as changed. (Having PostgreSQL compare them with the
 * columns cost more than serializing here: 62-64k events/s.)
 */
function toLink(row: Row): Link {
  const event = toAuditRecord(row);
  const canonical = hashedContentJson(event);
  const recomputed = row.hashed_content === null || row.hashed_content === canonical ? hashCanonical(event.prevHash, canonical) : "";
  return { seq: event.seq, prevHash: event.prevHash, hash: event.hash, recomputed };
}

/**
 * Recomputes the stored chain up to the head seen at the start, in keyset batches (flat memory),
 * and checks every checkpoint in each batch's range: signed by this instance's key and on the chain.
 */
export async function verifyLiveChain(onProgress: (progress: LiveProgress) => void | Promise<void>, options: { batch?: number; upTo?: number } = {}): Promise<LiveVerification> {
  const [start] = await db().$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1`;
  const headSeq = Number(start?.seq ?? 0);
  // upTo: only the first events (the bench times a prefix of a long log); the head is compared when reached.
  const total = Math.min(options.upTo ?? headSeq, headSeq);
  const publicKeyPem = auditPublicKeyPem();
  const trustedKeyId = keyIdOf(publicKeyPem);
  let previous = { seq: 0, hash: GENESIS_HASH };
  let checkpointsChecked = 0;
  const result = (broken?: LiveVerification["broken"], checked = previous.seq): LiveVerification => ({ ok: !broken, checked, head: previous, checkpointsChecked, broken });
  await onProgress({ checked: 0, total });

  while (previous.seq < total) {
    const batch = (await readVerificationBatch(previous.seq, Math.min(options.batch ?? LIVE_VERIFICATION_BATCH, total - previous.seq))).map(toLink);
    if (batch.length === 0) return result({ seq: previous.seq + 1, problem: "truncated", message: `The log ends at event ${previous.seq}, but its head says ${total}: events were removed.` });
    const verified = verifyChain(batch, { hashOf: (link) => link.recomputed, from: previous });
    if (!verified.ok) return result({ seq: verified.seq, problem: verified.problem, message: verified.message }, previous.seq + verified.count);
    const rows = await db().auditCheckpoint.findMany({ where: { seq: { gt: previous.seq, lte: verified.head.seq } }, orderBy: { id: "asc" } });
    for (const cp of rows.map(toStoredCheckpoint)) {
      // The batch verified holds every event after previous.seq in order, so event s is at s - previous.seq - 1.
      const problem = checkCheckpoint(cp, publicKeyPem, trustedKeyId, batch[cp.seq - previous.seq - 1]?.hash);
      if (problem) return result(problem);
      checkpointsChecked++;
    }
    previous = verified.head;
    await onProgress({ checked: previous.seq, total });
  }
  if (start && total === headSeq && previous.hash !== start.hash) {
    return result({ seq: total, problem: "head_mismatch", message: `The chain head names hash ${start.hash.slice(0, 12)}… for event ${total}, but the event has ${previous.hash.slice(0, 12)}….` });
  }
  return result();
}
