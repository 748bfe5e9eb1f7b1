import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { isCanonicalSignature, keyIdOf } from "./audit-checkpoint";
import { canonicalJson } from "./canonical-json";

// The audit signing keys as a history: a rotation is an audit event, signed by the key it retires,
// that names the next key and binds it to that one place in the chain. Verifiers trust the next
// key because the old one said so, never because a file or a manifest says so.
// docs/audit-format.md, section 6, specifies the bytes.

export const ROTATION_ACTION = "audit.signing_key_rotated";
export const ROTATION_FORMAT = "portal-audit-key-rotation/1";

/** One rotation: the audit event at `seq` (whose prevHash is `prevHash`) retires `previousKeyId` for `keyId`. */
export type KeyRotation = {
  seq: number;
  prevHash: string;
  previousKeyId: string;
  previousPublicKeyPem: string;
  keyId: string;
  publicKeyPem: string;
  /** The previous key's Ed25519 signature over rotationMessage, base64. */
  signature: string;
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const keyId = z.string().regex(/^[0-9a-f]{16}$/);
const pem = z.string().includes("BEGIN PUBLIC KEY");
const signature = z.string().refine(isCanonicalSignature, "must be an Ed25519 signature in base64");

/** The rotation event's `after`: what the event itself carries. */
export const rotationDetailsSchema = z.strictObject({
  previousKeyId: keyId,
  previousPublicKeyPem: pem,
  keyId,
  publicKeyPem: pem,
  signature,
});
export type RotationDetails = z.infer<typeof rotationDetailsSchema>;

export const keyRotationSchema = z.strictObject({
  seq: z.number().int().positive(),
  prevHash: hex64,
  ...rotationDetailsSchema.shape,
}) satisfies z.ZodType<KeyRotation>;

/** The exact bytes the previous key signs. */
export function rotationMessage(r: Pick<KeyRotation, "seq" | "prevHash" | "previousKeyId" | "keyId" | "publicKeyPem">): string {
  return canonicalJson({
    format: ROTATION_FORMAT,
    keyId: r.keyId,
    prevHash: r.prevHash,
    previousKeyId: r.previousKeyId,
    publicKeyPem: r.publicKeyPem,
    seq: r.seq,
  });
}

/** The `after` of a rotation event at `seq` (after the event whose hash is `prevHash`), signed by the retiring key. */
export function signRotation(
  at: { seq: number; prevHash: string },
  previousKey: KeyObject | string,
  nextPublicKeyPem: string,
): RotationDetails {
  const key = typeof previousKey === "string" ? createPrivateKey(previousKey) : previousKey;
  const previousPublicKeyPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  const fields = {
    seq: at.seq,
    prevHash: at.prevHash,
    previousKeyId: keyIdOf(previousPublicKeyPem),
    keyId: keyIdOf(nextPublicKeyPem),
    publicKeyPem: nextPublicKeyPem,
  };
  return {
    previousKeyId: fields.previousKeyId,
    previousPublicKeyPem,
    keyId: fields.keyId,
    publicKeyPem: nextPublicKeyPem,
    signature: sign(null, Buffer.from(rotationMessage(fields), "utf8"), key).toString("base64"),
  };
}

/** True when both keys are what their ids say and the previous key signed this rotation. */
export function verifyRotation(r: KeyRotation): boolean {
  try {
    if (keyIdOf(r.previousPublicKeyPem) !== r.previousKeyId || keyIdOf(r.publicKeyPem) !== r.keyId || r.keyId === r.previousKeyId)
      return false;
    const key = createPublicKey(r.previousPublicKeyPem);
    if (
      key.asymmetricKeyType !== "ed25519" ||
      createPublicKey(r.publicKeyPem).asymmetricKeyType !== "ed25519" ||
      !isCanonicalSignature(r.signature)
    )
      return false;
    return verify(null, Buffer.from(rotationMessage(r), "utf8"), key, Buffer.from(r.signature, "base64"));
  } catch {
    return false;
  }
}

/** The same public key, compared by its DER, not by its 64-bit id. */
export function sameKey(a: string, b: string): boolean {
  try {
    return createPublicKey(a)
      .export({ type: "spki", format: "der" })
      .equals(createPublicKey(b).export({ type: "spki", format: "der" }));
  } catch {
    return false;
  }
}

/** One key's stretch of the chain: it may sign checkpoints of events `from` to `until` (inclusive; null: still in use). */
export type KeyPeriod = { keyId: string; publicKeyPem: string; from: number; until: number | null };

export type KeyTimeline = { ok: true; periods: KeyPeriod[] } | { ok: false; seq: number; problem: "key_rotation"; message: string };

/**
 * The periods of the keys the rotations name, in chain order. Each rotation must be signed by the
 * key it retires, and retire the key the rotation before it introduced. No rotation: no periods
 * (whatever key the verifier trusts signs everything).
 */
export function keyTimeline(rotations: readonly KeyRotation[]): KeyTimeline {
  const periods: KeyPeriod[] = [];
  let previousSeq = 0;
  for (const r of rotations) {
    const broken = (message: string): KeyTimeline => ({ ok: false, seq: r.seq, problem: "key_rotation", message });
    if (r.seq <= previousSeq) return broken(`The key rotation at event ${r.seq} comes after one at event ${previousSeq}.`);
    if (!verifyRotation(r))
      return broken(
        `The key rotation at event ${r.seq} is not signed by the key it retires (${r.previousKeyId}): it was altered or forged.`,
      );
    const current = periods.at(-1);
    if (current && (current.keyId !== r.previousKeyId || !sameKey(current.publicKeyPem, r.previousPublicKeyPem)))
      return broken(`The key rotation at event ${r.seq} retires key ${r.previousKeyId}, but key ${current.keyId} was in use.`);
    if (periods.some((p) => p.keyId === r.keyId))
      return broken(`The key rotation at event ${r.seq} brings back key ${r.keyId}, which was retired.`);
    if (current) current.until = r.seq;
    else periods.push({ keyId: r.previousKeyId, publicKeyPem: r.previousPublicKeyPem, from: 1, until: r.seq });
    periods.push({ keyId: r.keyId, publicKeyPem: r.publicKeyPem, from: r.seq, until: null });
    previousSeq = r.seq;
  }
  return { ok: true, periods };
}

/**
 * Which key may sign at event `seq`, given the keys the auditor trusts: a key of the timeline
 * from the first trusted one on (each vouched for by the one before), and the earlier ones only
 * when `historyAuthenticated` (a trusted signature covers the rotations that name them). With no
 * rotation, any trusted key. Returns the trusted PEM, or a reason it is not trusted.
 */
export function keyAt(
  periods: readonly KeyPeriod[],
  anchors: ReadonlyMap<string, string>,
  historyAuthenticated: boolean,
  keyIdSigned: string,
  seq: number,
): { pem: string } | { reason: string } {
  if (periods.length === 0) {
    const pem = anchors.get(keyIdSigned);
    return pem ? { pem } : { reason: `key ${keyIdSigned} is not a key you trust` };
  }
  const first = periods.findIndex((p) => anchors.has(p.keyId) && sameKey(anchors.get(p.keyId)!, p.publicKeyPem));
  if (first === -1) return { reason: `none of the keys you trust is in the key history (${periods.map((p) => p.keyId).join(" → ")})` };
  const at = periods.findIndex((p) => p.keyId === keyIdSigned);
  if (at === -1) return { reason: `key ${keyIdSigned} is not in the key history (${periods.map((p) => p.keyId).join(" → ")})` };
  const period = periods[at]!;
  if (seq < period.from || (period.until !== null && seq > period.until)) {
    return { reason: `key ${keyIdSigned} signs events ${period.from} to ${period.until ?? "now"} only, not event ${seq}` };
  }
  if (at < first && !historyAuthenticated)
    return { reason: `key ${keyIdSigned} precedes the keys you trust, and no signature you trust covers the rotation that retired it` };
  // The anchor's own PEM where the auditor gave it; else the one its predecessor signed for.
  return { pem: anchors.get(keyIdSigned) ?? period.publicKeyPem };
}
