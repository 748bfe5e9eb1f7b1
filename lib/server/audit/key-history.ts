import "server-only";
import { keyRotationSchema, ROTATION_ACTION, type KeyRotation } from "@/lib/domain/key-history";
import { db } from "../db/db";
import type { Tx } from "../db/transaction";
import { auditSigningKeys, heldSigningKey, type SigningKey } from "./signing-key";

type Client = Pick<Tx, "$queryRaw">;

/** The key rotations in the log up to `upToSeq`, in chain order, as their events say. */
export async function loadKeyRotations(client: Client = db(), upToSeq?: number): Promise<KeyRotation[]> {
  const rows = await client.$queryRaw<{ seq: bigint; prev_hash: string; after: unknown }[]>`
    SELECT seq, prev_hash, after FROM audit_events WHERE action = ${ROTATION_ACTION} AND seq <= ${upToSeq ?? Number.MAX_SAFE_INTEGER} ORDER BY seq`;
  return rows.map((row) => {
    const parsed = keyRotationSchema.safeParse({ seq: Number(row.seq), prevHash: row.prev_hash, ...(row.after as object) });
    if (!parsed.success)
      throw new Error(`The key rotation at event ${row.seq} is malformed: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}.`);
    return parsed.data;
  });
}

/** The key that signs now: the last rotation's, or, before any, the first key held. */
async function currentKey(client: Client): Promise<{ keyId: string; publicKeyPem: string }> {
  // One row by the (action, seq) index; read in the caller's transaction, under the head's lock when it holds it.
  const [last] = await client.$queryRaw<{ key_id: string; public_key_pem: string }[]>`
    SELECT after->>'keyId' AS key_id, after->>'publicKeyPem' AS public_key_pem FROM audit_events WHERE action = ${ROTATION_ACTION} ORDER BY seq DESC LIMIT 1`;
  if (last) return { keyId: last.key_id, publicKeyPem: last.public_key_pem };
  const first = auditSigningKeys()[0]!;
  return { keyId: first.keyId, publicKeyPem: first.publicKeyPem };
}

/** The key that signs now; an instance that does not hold it refuses to sign rather than sign with a retired key. */
export async function currentSigningKey(client: Client = db()): Promise<SigningKey> {
  const { keyId } = await currentKey(client);
  const key = heldSigningKey(keyId);
  if (!key)
    throw new Error(
      `The audit signing key in use is ${keyId} (since its rotation), but this instance does not hold it: add it to AUDIT_SIGNING_KEY and restart.`,
    );
  return key;
}

/** The public key that verifies what the portal signs now (SPKI PEM), for auditors to keep. */
export async function currentPublicKeyPem(): Promise<string> {
  return (await currentKey(db())).publicKeyPem;
}
