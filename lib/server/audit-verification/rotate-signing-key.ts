import "server-only";
import { signRotation, ROTATION_ACTION } from "@/lib/domain/key-history";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { appendAuditEvent } from "../audit/append-audit-event";
import { checkpointOf } from "../audit/checkpoints";
import { currentSigningKey, loadKeyRotations } from "../audit/key-history";
import { auditSigningKeys } from "../audit/signing-key";

export type Rotation = { seq: number; previousKeyId: string; keyId: string };

/**
 * Retires the key in use for a key this instance holds and the history never used (`keyId`, or
 * the only such key): an audit event, signed by the retiring key, names the new key, and the
 * retiring key signs a checkpoint of that event. From the next signature on, every instance signs
 * with the new key (they read the key in use under the chain head's lock).
 */
export async function rotateSigningKey(actor: Actor | null, keyId?: string): Promise<Rotation> {
  return inTransaction(async (tx) => {
    const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
    if (!head) throw new Error("audit_chain_head is missing its row; the audit migration did not run.");
    const retiring = await currentSigningKey(tx);
    const used = new Set([retiring.keyId, ...(await loadKeyRotations(tx)).flatMap((r) => [r.previousKeyId, r.keyId])]);
    const fresh = auditSigningKeys().filter((k) => !used.has(k.keyId) && (keyId === undefined || k.keyId === keyId));
    if (fresh.length !== 1) {
      throw new Error(
        fresh.length === 0
          ? `No new key to rotate to: add a key the log never used to AUDIT_SIGNING_KEY${keyId ? ` (${keyId} is not held, or was used before)` : ""}.`
          : `Several new keys are held (${fresh.map((k) => k.keyId).join(", ")}): name one.`,
      );
    }
    const next = fresh[0]!;
    const at = { seq: Number(head.seq), hash: head.hash };
    const after = signRotation({ seq: at.seq + 1, prevHash: at.hash }, retiring.privateKey, next.publicKeyPem);
    const event = await appendAuditEvent(tx, { actor, action: ROTATION_ACTION, entityType: "audit_log", after }, at);
    const { insert } = await checkpointOf(tx, event, "key_rotation", actor?.id ?? null, retiring);
    await tx.$executeRaw(insert);
    return { seq: event.seq, previousKeyId: retiring.keyId, keyId: next.keyId };
  });
}
