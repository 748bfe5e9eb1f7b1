import "server-only";
import { hashCanonical, verifyChain, GENESIS_HASH, type ChainLink } from "@/lib/domain/audit-chain";
import { hashedContentJson } from "@/lib/domain/audit-event";
import { checkCheckpoint } from "@/lib/domain/check-checkpoint";
import { keyAt, keyTimeline } from "@/lib/domain/key-history";
import { db } from "../db/db";
import { pgPool } from "../db/pg-pool";
import { batchHolds, summarizeBatch, type BatchSummary } from "./check-batch-in-database";
import { toStoredCheckpoint } from "../audit/checkpoints";
import { contentGuardStands } from "./content-guard";
import { loadKeyRotations } from "../audit/key-history";
import { AUDIT_EVENT_COLUMNS, toAuditRecord, type AuditEventRow } from "../audit/read-audit-events";
import { auditSigningKeys } from "../audit/signing-key";

export type LiveProgress = { checked: number; total: number };

export type LiveVerification = {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  checkpointsChecked: number;
  /**
   * How each event's columns were held to the bytes its hash covers: by the database's validated
   * constraint (content-guard.ts), or rebuilt here from the columns, because the constraint was
   * missing or altered.
   */
  columns: "constraint" | "rebuilt";
  broken?: { seq: number; problem: string; message: string };
};

/** Events per batch; the bench times the same batches. */
export const LIVE_VERIFICATION_BATCH = 20_000;

/**
 * Batches PostgreSQL checks at once, on connections of their own: each one hashes on one core, and
 * a batch's link to the one before is checked here, so batches need not wait for each other.
 */
export const LIVE_VERIFICATION_IN_FLIGHT = 2;

type Link = ChainLink & { recomputed: string };

type Row = AuditEventRow & { hashed_content: string | null };

/**
 * A batch of events in chain order, for the full check, read through node-postgres: its rows cost
 * less than half of Prisma's to decode (200,000 events: 174-228k/s against 74-107k/s).
 */
async function readVerificationBatch(afterSeq: number, limit: number): Promise<Row[]> {
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

/** The events after `previous`, read and rebuilt from their columns here: the full check, which names what is wrong. */
async function checkBatchHere(previous: { seq: number; hash: string }, limit: number) {
  const batch = (await readVerificationBatch(previous.seq, limit)).map(toLink);
  return { batch, verified: batch.length === 0 ? null : verifyChain(batch, { hashOf: (link) => link.recomputed, from: previous }) };
}

type Pending = { limit: number; summary: Promise<BatchSummary> };

/**
 * Recomputes the stored chain up to the head seen at the start, in keyset batches (flat memory),
 * and checks every checkpoint in each batch's range: signed by the key the key history names for
 * its event (from the keys this instance holds, rotation by rotation), and on the chain.
 *
 * While the content guard stands, PostgreSQL hashes each batch's kept bytes and checks its links
 * where the rows are (check-batch-in-database.ts), a few batches at once: reading every row into
 * this process cost more than hashing it several times over (docs/performance.md). A batch whose
 * summary is not clean, or any batch when the guard does not stand, is read and rebuilt from its
 * columns here, which names the first broken event.
 */
export async function verifyLiveChain(
  onProgress: (progress: LiveProgress) => void | Promise<void>,
  options: { batch?: number; upTo?: number; inFlight?: number } = {},
): Promise<LiveVerification> {
  const [start] = await db().$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1`;
  const headSeq = Number(start?.seq ?? 0);
  // upTo: only the first events (the bench times a prefix of a long log); the head is compared when reached.
  const total = Math.min(options.upTo ?? headSeq, headSeq);
  const size = options.batch ?? LIVE_VERIFICATION_BATCH;
  const columns = (await contentGuardStands()) ? "constraint" : "rebuilt";
  // The keys this instance holds are trusted; the key history in the log (each rotation signed by
  // the key it retired, and chained like every event) says which key signs which events.
  const anchors = new Map(auditSigningKeys().map((k) => [k.keyId, k.publicKeyPem]));
  let previous = { seq: 0, hash: GENESIS_HASH };
  let checkpointsChecked = 0;
  const result = (broken?: LiveVerification["broken"], checked = previous.seq): LiveVerification => ({
    ok: !broken,
    checked,
    head: previous,
    checkpointsChecked,
    columns,
    broken,
  });
  const timeline = keyTimeline(await loadKeyRotations(db(), total));
  if (!timeline.ok) return result({ seq: timeline.seq, problem: timeline.problem, message: timeline.message }, 0);
  await onProgress({ checked: 0, total });

  // Batches PostgreSQL is checking, in order; the first always starts at previous.seq.
  const pending: Pending[] = [];
  let asked = 0;
  const ask = () => {
    while (columns === "constraint" && pending.length < (options.inFlight ?? LIVE_VERIFICATION_IN_FLIGHT) && asked < total) {
      const limit = Math.min(size, total - asked);
      const summary = summarizeBatch(asked, limit);
      summary.catch(() => undefined); // awaited in turn; failing while another is awaited is not unhandled
      pending.push({ limit, summary });
      asked += limit;
    }
  };
  try {
    while (previous.seq < total) {
      ask();
      const next = pending.shift();
      const limit = next?.limit ?? Math.min(size, total - previous.seq);
      const summary = next ? await next.summary : null;
      let head: { seq: number; hash: string };
      let hashesAt: (seqs: number[]) => Promise<Map<number, string>>;
      if (summary && batchHolds(summary, previous, limit)) {
        head = { seq: summary.lastSeq, hash: summary.lastHash };
        hashesAt = eventHashes;
      } else {
        const { batch, verified } = await checkBatchHere(previous, limit);
        if (!verified)
          return result({
            seq: previous.seq + 1,
            problem: "truncated",
            message: `The log ends at event ${previous.seq}, but its head says ${total}: events were removed.`,
          });
        if (!verified.ok)
          return result({ seq: verified.seq, problem: verified.problem, message: verified.message }, previous.seq + verified.count);
        head = verified.head;
        hashesAt = async () => new Map(batch.map((link) => [link.seq, link.hash]));
        // Fewer events than asked for: the batches asked for after this one start past its end.
        if (head.seq !== previous.seq + limit) {
          await settle(pending.splice(0));
          asked = head.seq;
        }
      }
      const rows = (
        await db().auditCheckpoint.findMany({ where: { seq: { gt: previous.seq, lte: head.seq } }, orderBy: { id: "asc" } })
      ).map(toStoredCheckpoint);
      const hashes = rows.length > 0 ? await hashesAt(rows.map((cp) => cp.seq)) : new Map<number, string>();
      for (const cp of rows) {
        const key = keyAt(timeline.periods, anchors, true, cp.keyId, cp.seq);
        if ("reason" in key)
          return result({
            seq: cp.seq,
            problem: "checkpoint_unknown_key",
            message: `The checkpoint at event ${cp.seq} was signed by key ${cp.keyId}: ${key.reason}.`,
          });
        const problem = checkCheckpoint(cp, key.pem, cp.keyId, hashes.get(cp.seq));
        if (problem) return result(problem);
        checkpointsChecked++;
      }
      previous = head;
      await onProgress({ checked: previous.seq, total });
    }
  } finally {
    await settle(pending.splice(0));
  }
  if (start && total === headSeq && previous.hash !== start.hash) {
    return result({
      seq: total,
      problem: "head_mismatch",
      message: `The chain head names hash ${start.hash.slice(0, 12)}… for event ${total}, but the event has ${previous.hash.slice(0, 12)}….`,
    });
  }
  return result();
}

/** The hashes of events in a batch PostgreSQL checked. */
async function eventHashes(seqs: number[]): Promise<Map<number, string>> {
  const { rows } = await pgPool().query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_events WHERE seq = ANY($1::bigint[])", [
    seqs,
  ]);
  return new Map(rows.map((r) => [Number(r.seq), r.hash]));
}

/** Waits out batches asked for but no longer wanted, so none is left running on a connection. */
async function settle(dropped: Pending[]): Promise<void> {
  await Promise.allSettled(dropped.map((p) => p.summary));
}
