import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { isCanonicalSignature, keyIdOf, type SignedCheckpoint } from "./audit-checkpoint";
import { canonicalJson } from "./canonical-json";
import { keyRotationSchema } from "./key-history";

// The manifest every export carries beside its file: what was asked for, what came out, and a
// signed checkpoint of the audit log at export time, all signed together with the audit key, so
// the file can be checked with no database and no field can be changed unnoticed.
// docs/audit-format.md specifies the bytes.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");
const keyId = z.string().regex(/^[0-9a-f]{16}$/, "must be 16 lower-case hex digits");
// An Ed25519 signature (64 bytes) in canonical base64, so no two strings carry the same signature.
const signature = z.string().refine(isCanonicalSignature, "must be an Ed25519 signature in base64 (88 characters)");

export const signedCheckpointSchema = z.strictObject({
  seq: z.number().int().positive(),
  hash: hex64,
  createdAt: z.iso.datetime(),
  keyId,
  signature,
}) satisfies z.ZodType<SignedCheckpoint>;

export const EXPORT_MANIFEST_FORMAT = "portal-export-manifest/2";

const unsignedManifestShape = {
  format: z.literal(EXPORT_MANIFEST_FORMAT),
  exportId: z.string().min(1),
  kind: z.enum(["audit_events", "changes", "report"]),
  fileFormat: z.enum(["csv", "jsonl"]),
  fileName: z.string().min(1),
  filters: z.record(z.string(), z.string()),
  rowCount: z.number().int().nonnegative(),
  sha256: hex64,
  chainHead: z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 }),
  checkpoint: signedCheckpointSchema,
  /** Every key rotation up to the checkpoint, so a filtered export or a CSV carries the key history too. */
  keyHistory: z.array(keyRotationSchema),
  publicKeyPem: z.string().includes("BEGIN PUBLIC KEY"),
  exportedBy: z.strictObject({ id: z.string(), email: z.string() }),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  /** The key that signs the manifest: the first 16 hex digits of SHA-256 over publicKeyPem's DER. */
  keyId,
};

// Strict: a field the signature does not cover has no place in a manifest.
export const exportManifestSchema = z.strictObject({ ...unsignedManifestShape, signature });

export type ExportManifest = z.infer<typeof exportManifestSchema>;
export type UnsignedManifest = Omit<ExportManifest, "signature" | "keyId" | "publicKeyPem">;

/** Reads a manifest (parsed JSON); names each field that is wrong. */
export function parseExportManifest(value: unknown): { ok: true; manifest: ExportManifest } | { ok: false; message: string } {
  const parsed = exportManifestSchema.safeParse(value);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".") || "manifest"}: ${i.message}`).join("; ") };
}

/** The exact bytes that are signed: canonical JSON of every field but the signature (the key id included). */
export function manifestMessage(manifest: Omit<ExportManifest, "signature">): string {
  const fields: Record<string, unknown> = { ...manifest };
  delete fields.signature;
  return canonicalJson(fields);
}

/** A manifest without its signature and signer, to be signed again (a test's forger, or a copy with one field changed). */
export function unsignedManifestOf(manifest: ExportManifest): UnsignedManifest {
  const fields: Partial<ExportManifest> = { ...manifest };
  delete fields.signature;
  delete fields.keyId;
  delete fields.publicKeyPem;
  return fields as UnsignedManifest;
}

/** Signs a manifest with the audit key (Ed25519); adds that key's public key and id. */
export function signManifest(unsigned: UnsignedManifest, privateKey: string | KeyObject): ExportManifest {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== "ed25519")
    throw new Error(`The audit signing key must be Ed25519, not ${key.asymmetricKeyType ?? "a symmetric key"}.`);
  const publicKey = createPublicKey(key);
  const withKey = { ...unsigned, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), keyId: keyIdOf(publicKey) };
  const signature = sign(null, Buffer.from(manifestMessage(withKey), "utf8"), key).toString("base64");
  return { ...withKey, signature };
}

/** True when the signature is valid for every field under this public key, and the key id names that key. */
export function verifyManifestSignature(manifest: ExportManifest, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== "ed25519" || keyIdOf(key) !== manifest.keyId || !isCanonicalSignature(manifest.signature)) return false;
    return verify(null, Buffer.from(manifestMessage(manifest), "utf8"), key, Buffer.from(manifest.signature, "base64"));
  } catch {
    return false;
  }
}
