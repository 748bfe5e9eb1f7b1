import "server-only";
import { signCheckpoint, type SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import type { Tx } from "../db/transaction";
import { checkpointOutbox } from "./webhook-outbox";
import { currentPublicKeyPem, currentSigningKey } from "./key-history";
import type { SigningKey } from "./signing-key";

export type CheckpointReason = "periodic" | "on_demand" | "export" | "key_rotation";

export type StoredCheckpoint = SignedCheckpoint & { id: number; reason: CheckpointReason; createdBy: string | null };

/**
 * Signs the current chain head inside the caller's transaction. The head row is read under the
 * lock appendAuditEvent takes, so no event can slip in between reading and signing, and the
 * checkpoint commits or rolls back with the caller's work.
 */
export async function takeCheckpoint(tx: Tx, reason: CheckpointReason, actorId?: string | null): Promise<SignedCheckpoint> {
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
  if (!head) throw new Error("audit_chain_head is missing its row; the audit migration did not run.");
  if (head.seq === BigInt(0)) throw new Error("The audit log is empty: there is nothing to checkpoint yet.");
  const { checkpoint, insert } = await checkpointOf(tx, { seq: Number(head.seq), hash: head.hash }, reason, actorId);
  await tx.$executeRaw(insert);
  return checkpoint;
}

/**
 * A signed checkpoint of `head` and the statement that stores it, for a caller that holds the
 * head's lock and knows the head already (the event it just appended), so it saves reading it
 * again and can send the insert along with its own write. Signed by the key in use (read under
 * that lock, so a rotation cannot slip in), or by `key` (a rotation's retiring key).
 */
export async function checkpointOf(
  tx: Tx,
  head: { seq: number; hash: string },
  reason: CheckpointReason,
  actorId?: string | null,
  key?: SigningKey,
): Promise<{ checkpoint: SignedCheckpoint; insert: Prisma.Sql }> {
  const signer = key ?? (await currentSigningKey(tx));
  const checkpoint = signCheckpoint({ seq: head.seq, hash: head.hash, createdAt: new Date().toISOString() }, signer.privateKey);
  const insert = Prisma.sql`
    INSERT INTO audit_checkpoints (seq, hash, created_at, key_id, signature, reason, created_by)
    VALUES (${checkpoint.seq}, ${checkpoint.hash}, ${new Date(checkpoint.createdAt)}, ${checkpoint.keyId}, ${checkpoint.signature}, ${reason}, ${actorId ?? null}::uuid)`;
  // Its webhooks (witnesses keep their own copy), in the caller's transaction: they commit with the
  // checkpoint. Apart from the insert, which callers embed in a WITH of their own.
  await tx.$executeRaw`WITH ${checkpointOutbox(checkpoint)} SELECT count(*) FROM hook_jobs`;
  return { checkpoint, insert };
}

/** The public key that verifies what the portal signs now (SPKI PEM), for auditors to keep. */
export function auditPublicKeyPem(): Promise<string> {
  return currentPublicKeyPem();
}

/** Checkpoints, newest first, a page at a time (keyset on id). */
export async function listCheckpoints(options: { beforeId?: number; limit?: number } = {}): Promise<StoredCheckpoint[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
  const rows = await db().auditCheckpoint.findMany({
    where: options.beforeId ? { id: { lt: BigInt(options.beforeId) } } : undefined,
    orderBy: { id: "desc" },
    take: limit,
  });
  return rows.map(toStoredCheckpoint);
}

/** One stored checkpoint, or null. */
export async function getCheckpoint(id: number): Promise<StoredCheckpoint | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await db().auditCheckpoint.findUnique({ where: { id: BigInt(id) } });
  return row ? toStoredCheckpoint(row) : null;
}

/** The newest checkpoint, or null while none was taken. */
export async function latestCheckpoint(): Promise<StoredCheckpoint | null> {
  const [newest] = await listCheckpoints({ limit: 1 });
  return newest ?? null;
}

type Row = {
  id: bigint;
  seq: bigint;
  hash: string;
  createdAt: Date;
  keyId: string;
  signature: string;
  reason: string;
  createdBy: string | null;
};

export function toStoredCheckpoint(row: Row): StoredCheckpoint {
  return {
    id: Number(row.id),
    seq: Number(row.seq),
    hash: row.hash,
    createdAt: row.createdAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
    reason: row.reason as CheckpointReason,
    createdBy: row.createdBy,
  };
}
