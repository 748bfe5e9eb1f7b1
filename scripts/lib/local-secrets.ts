// Secrets generated on first start and kept in .data/ (git-ignored), so a fresh clone needs
// no configuration and nothing secret is ever committed.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DATA_DIR = path.resolve(process.cwd(), ".data");

export type LocalSecrets = {
  authSecret: string;
  superuserPassword: string;
  ownerPassword: string;
  appPassword: string;
  /** Ed25519 private keys (PKCS#8 PEM, one after the other, the oldest first) that sign audit checkpoints. */
  auditSigningKey: string;
};

const FILE = path.join(DATA_DIR, "secrets.json");

function generate(): string {
  return randomBytes(32).toString("base64url");
}

/** A fresh Ed25519 private key as PKCS#8 PEM. */
export function generateAuditSigningKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

export function loadLocalSecrets(): LocalSecrets {
  mkdirSync(DATA_DIR, { recursive: true });
  // Traversable, not listable: the embedded server runs as the postgres user and keeps its data here.
  chmodSync(DATA_DIR, 0o711);
  const existing: Partial<LocalSecrets> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  const secrets: LocalSecrets = {
    authSecret: existing.authSecret ?? generate(),
    superuserPassword: existing.superuserPassword ?? generate(),
    ownerPassword: existing.ownerPassword ?? generate(),
    appPassword: existing.appPassword ?? generate(),
    auditSigningKey: existing.auditSigningKey ?? generateAuditSigningKey(),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    writeFileSync(FILE, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return secrets;
}

/** Appends a signing key to the local key ring (npm run audit:rotate-key); returns the whole ring. */
export function addLocalAuditSigningKey(pem: string): string {
  const secrets = loadLocalSecrets();
  const ring = secrets.auditSigningKey.trimEnd() + "\n" + pem;
  writeFileSync(FILE, JSON.stringify({ ...secrets, auditSigningKey: ring }, null, 2) + "\n", { mode: 0o600 });
  return ring;
}
