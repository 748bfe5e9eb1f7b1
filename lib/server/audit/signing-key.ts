import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { keyIdOf, publicKeyPemOf } from "@/lib/domain/audit-checkpoint";
import { env } from "../env";

export type SigningKey = { keyId: string; privateKey: KeyObject; publicKeyPem: string };

let cached: SigningKey[] | undefined;

const PEM_BLOCK = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/g;

/**
 * The audit signing keys this instance holds, from AUDIT_SIGNING_KEY: one or more Ed25519 keys
 * (PKCS#8 PEM, one after the other, or that text in base64), the oldest first. Which one signs
 * is the key history's business (key-history.ts): several are held only around a rotation.
 */
export function auditSigningKeys(): SigningKey[] {
  if (cached) return cached;
  const configured = env().AUDIT_SIGNING_KEY;
  if (!configured)
    throw new Error(
      "AUDIT_SIGNING_KEY is not set: audit checkpoints cannot be signed. `npm start` generates one into .data/secrets.json; in production set it (see README).",
    );
  const text = (configured.includes("-----BEGIN") ? configured : Buffer.from(configured, "base64").toString("utf8")).replaceAll(
    "\\n",
    "\n",
  );
  const blocks = text.match(PEM_BLOCK) ?? [text];
  cached = blocks.map((pem) => {
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== "ed25519")
      throw new Error(`AUDIT_SIGNING_KEY must hold Ed25519 keys, not ${privateKey.asymmetricKeyType}.`);
    const publicKeyPem = publicKeyPemOf(privateKey);
    return { keyId: keyIdOf(publicKeyPem), privateKey, publicKeyPem };
  });
  return cached;
}

/** The held key with this id, or null. */
export function heldSigningKey(keyId: string): SigningKey | null {
  return auditSigningKeys().find((k) => k.keyId === keyId) ?? null;
}
