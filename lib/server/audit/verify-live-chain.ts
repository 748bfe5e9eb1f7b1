import "server-only";
import { keyIdOf } from "@/lib/domain/audit-checkpoint";
import { verifyChain, GENESIS_HASH } from "@/lib/domain/audit-chain";
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

/**
 * Recomputes the stored chain up to the head seen at the start, in keyset batches (flat memory),
 * and checks every checkpoint in each batch's range: signed by this instance's key and on the chain.
 */
export async function verifyLiveChain(onProgress: (progress: LiveProgress) => void | Promise<void>, options: { batch?: number } = {}): Promise<LiveVerification> {
  const [start] = await db().$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1`;
  const total = Number(start?.seq ?? 0);
  const publicKeyPem = auditPublicKeyPem();
  const trustedKeyId = keyIdOf(publicKeyPem);
  let previous = { seq: 0, hash: GENESIS_HASH };
  let checkpointsChecked = 0;
  const result = (broken?: LiveVerification["broken"], checked = previous.seq): LiveVerification => ({ ok: !broken, checked, head: previous, checkpointsChecked, broken });
  await onProgress({ checked: 0, total });

  while (previous.seq < total) {
    const batch = await readAuditEvents({ afterSeq: previous.seq, limit: Math.min(options.batch ?? BATCH, total - previous.seq) });
    if (batch.length === 0) return result({ seq: previous.seq + 1, problem: "truncated", message: `The log ends at event ${previous.seq}, but its head says ${total}: events were removed.` });
    const verified = verifyChain(batch, { canonicalContentOf: hashedContentJson, from: previous });
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
  if (start && previous.hash !== start.hash) {
    return result({ seq: total, problem: "head_mismatch", message: `The chain head names hash ${start.hash.slice(0, 12)}… for event ${total}, but the event has ${previous.hash.slice(0, 12)}….` });
  }
  return result();
}
