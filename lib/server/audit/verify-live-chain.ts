import "server-only";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { hashCanonical, verifyChain, GENESIS_HASH, type ChainLink } from "@/lib/domain/audit-chain";
import { hashedContentJson } from "@/lib/domain/audit-event";
import { checkCheckpoint } from "@/lib/domain/check-checkpoint";
import { db } from "../db/db";
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

const BATCH = 2_000;

type Link = ChainLink & { recomputed: string };

/**
 * A batch of links, each hash recomputed from the event's columns. The bytes the event keeps for
 * exports (hashed_content) must be exactly that canonical text: if a column or the bytes were
 * changed behind the triggers' back, the event counts as changed. (Reading a row costs about
 * three times hashing it, so hashing the kept bytes instead would save little here; having
 * PostgreSQL compare them with the columns cost more than serializing in Node.)
 */
async function readLinks(afterSeq: number, limit: number): Promise<Link[]> {
  const rows = await db().$queryRaw<(AuditEventRow & { hashed_content: string | null })[]>`
    SELECT ${AUDIT_EVENT_COLUMNS}, hashed_content FROM audit_events WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`;
  return rows.map((row) => {
    const event = toAuditRecord(row);
    const canonical = hashedContentJson(event);
    const recomputed = row.hashed_content === null || row.hashed_content === canonical ? hashCanonical(event.prevHash, canonical) : "";
    return { seq: event.seq, prevHash: event.prevHash, hash: event.hash, recomputed };
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
