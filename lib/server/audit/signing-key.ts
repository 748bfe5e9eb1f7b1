import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { publicKeyPemOf } from "@/lib/domain/audit-checkpoint";
import { env } from "../env";

let cached: { privateKey: KeyObject; publicKeyPem: string } | undefined;

/** The key that signs audit checkpoints, from AUDIT_SIGNING_KEY (PKCS#8 PEM, or that PEM in base64). */
export function auditSigningKey(): { privateKey: KeyObject; publicKeyPem: string } {
  if (cached) return cached;
  const configured = env().AUDIT_SIGNING_KEY;
  if (!configured) throw new Error("AUDIT_SIGNING_KEY is not set: audit checkpoints cannot be signed. `npm start` generates one into .data/secrets.json; in production set it (see README).");
  const pem = configured.includes("-----BEGIN") ? configured : Buffer.from(configured, "base64").toString("utf8");
  const privateKey = createPrivateKey(pem.replaceAll("\\n", "\n"));
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`AUDIT_SIGNING_KEY must be an Ed25519 key, not ${privateKey.asymmetricKeyType}.`);
  cached = { privateKey, publicKeyPem: publicKeyPemOf(privateKey) };
  return cached;
}
