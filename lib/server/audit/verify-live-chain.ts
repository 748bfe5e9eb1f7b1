import "server-only";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { hashCanonical, verifyChain, GENESIS_HASH, type ChainLink } from "@/lib/domain/audit-chain";
import { hashedContentJson } from "@/lib/domain/audit-event";
import { checkCheckpoint } from "@/lib/domain/check-checkpoint";
import { db } from "../db/db";
import { auditPublicKeyPem, toStoredCheckpoint } from "./checkpoints";
import { readAuditEvents } from "./read-audit-events";

export type LiveProgress = { checked: number; total: number };

export type LiveVerification = {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  checkpointsChecked: number;
  broken?: { seq: number; problem: string; message: string };
};

const BATCH = 2_000;

type Link = ChainLink & { recomputed: string };

/**
 * A batch of links with each hash recomputed from the bytes the event keeps (hashed_content),
 * which PostgreSQL checks against the event's columns in the same read: a column changed behind
 * the triggers' back no longer agrees, and counts as a changed event. Events written before
 * hashed_content was kept are serialized again from their columns.
 */
async function readLinks(afterSeq: number, limit: number): Promise<Link[]> {
  const rows = await db().$queryRaw<{ seq: bigint; prev_hash: string; hash: string; hashed_content: string | null; agrees: boolean }[]>`
    SELECT seq, prev_hash, hash, hashed_content, audit_event_content_agrees(e) AS agrees
    FROM audit_events e WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  const older = rows.some((r) => r.hashed_content === null) ? await readAuditEvents({ afterSeq, limit }) : [];
  const fromColumns = new Map(older.map((e) => [e.seq, hashCanonical(e.prevHash, hashedContentJson(e))]));
  return rows.map((r) => {
    const seq = Number(r.seq);
    const recomputed = r.hashed_content === null ? fromColumns.get(seq) ?? "" : r.agrees ? hashCanonical(r.prev_hash, r.hashed_content) : "";
    return { seq, prevHash: r.prev_hash, hash: r.hash, recomputed };
  });
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
    const batch = await readLinks(previous.seq, Math.min(options.batch ?? BATCH, total - previous.seq));
    if (batch.length === 0) return result({ seq: previous.seq + 1, problem: "truncated", message: `The log ends at event ${previous.seq}, but its head says ${total}: events were removed.` });
    const verified = verifyChain(batch, { hashOf: (link) => link.recomputed, from: previous });
    if (!verified.ok) return result({ seq: verified.seq, problem: verified.problem, message: verified.message }, previous.seq + verified.count);
    const hashes = new Map(batch.map((e) => [e.seq, e.hash]));
    const rows = await db().auditCheckpoint.findMany({ where: { seq: { gt: previous.seq, lte: verified.head.seq } }, orderBy: { id: "asc" } });
    for (const cp of rows.map(toStoredCheckpoint)) {
      const problem = checkCheckpoint(cp, publicKeyPem, trustedKeyId, hashes.get(cp.seq));
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
