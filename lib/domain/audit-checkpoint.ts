import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/**
 * A signed statement "the audit log's event `seq` has hash `hash`". An auditor who keeps one can
 * later prove that a newer log still holds that event unchanged, so the log only grew.
 */
export type SignedCheckpoint = { seq: number; hash: string; createdAt: string; keyId: string; signature: string };

export type UnsignedCheckpoint = Omit<SignedCheckpoint, "signature" | "keyId">;

/** The exact bytes that are signed: canonical JSON of every field but the signature. */
export function checkpointMessage(cp: Omit<SignedCheckpoint, "signature">): string {
  return canonicalJson({ seq: cp.seq, hash: cp.hash, createdAt: cp.createdAt, keyId: cp.keyId });
}

/** Short, stable name of a public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: string | KeyObject): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

/** The public key (SPKI PEM) of an Ed25519 private key. */
export function publicKeyPemOf(privateKey: string | KeyObject): string {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  return createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
}

/** Signs a checkpoint with Ed25519; the key id names the public key that verifies it. */
export function signCheckpoint(unsigned: UnsignedCheckpoint, privateKey: string | KeyObject): SignedCheckpoint {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== "ed25519")
    throw new Error(`The audit signing key must be Ed25519, not ${key.asymmetricKeyType ?? "a symmetric key"}.`);
  const withKey = { seq: unsigned.seq, hash: unsigned.hash, createdAt: unsigned.createdAt, keyId: keyIdOf(createPublicKey(key)) };
  const signature = sign(null, Buffer.from(checkpointMessage(withKey), "utf8"), key).toString("base64");
  return { ...withKey, signature };
}

/** True when the signature is valid for these exact fields under this public key (and the key id names it). */
export function verifyCheckpointSignature(cp: SignedCheckpoint, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "ed25519" || keyIdOf(key) !== cp.keyId || !isCanonicalSignature(cp.signature)) return false;
    return verify(null, Buffer.from(checkpointMessage(cp), "utf8"), key, Buffer.from(cp.signature, "base64"));
  } catch {
    return false;
  }
}

/** An Ed25519 signature as base64 that decodes to 64 bytes and encodes back to the same text (Buffer's decoder skips stray characters). */
export function isCanonicalSignature(signature: string): boolean {
  if (signature.length !== 88) return false;
  const bytes = Buffer.from(signature, "base64");
  return bytes.length === 64 && bytes.toString("base64") === signature;
}
