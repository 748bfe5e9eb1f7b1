import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkpointMessage,
  keyIdOf,
  publicKeyPemOf,
  signCheckpoint,
  verifyCheckpointSignature,
  type SignedCheckpoint,
} from "@/lib/domain/audit-checkpoint";
import {
  EXPORT_MANIFEST_FORMAT,
  manifestMessage,
  parseExportManifest,
  signManifest,
  verifyManifestSignature,
} from "@/lib/domain/export-manifest";

const pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const privateKey = pem();
const publicKey = publicKeyPemOf(privateKey);
const unsigned = { seq: 42, hash: "ab".repeat(32), createdAt: "2026-11-23T10:00:00.000Z" };

describe("signed audit checkpoints", () => {
  it("sign and verify with the matching public key; the key id names that key", () => {
    const cp = signCheckpoint(unsigned, privateKey);
    expect(cp).toMatchObject({ ...unsigned, keyId: keyIdOf(publicKey) });
    expect(cp.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verifyCheckpointSignature(cp, publicKey)).toBe(true);
  });

  it("signs canonical JSON of seq, hash, createdAt and keyId, whatever the key order", () => {
    const a = checkpointMessage({ keyId: "k", createdAt: "t", hash: "h", seq: 1 });
    expect(a).toBe('{"createdAt":"t","hash":"h","keyId":"k","seq":1}');
  });

  it.each<[string, (cp: SignedCheckpoint) => SignedCheckpoint]>([
    ["seq", (cp) => ({ ...cp, seq: cp.seq + 1 })],
    ["hash", (cp) => ({ ...cp, hash: "cd".repeat(32) })],
    ["createdAt", (cp) => ({ ...cp, createdAt: "2026-11-23T10:00:00.001Z" })],
    ["keyId", (cp) => ({ ...cp, keyId: "0".repeat(16) })],
    [
      "signature",
      (cp) => ({
        ...cp,
        signature: Buffer.from(Buffer.from(cp.signature, "base64").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64"),
      }),
    ],
  ])("fails when %s is changed", (_field, change) => {
    expect(verifyCheckpointSignature(change(signCheckpoint(unsigned, privateKey)), publicKey)).toBe(false);
  });

  it("fails under another key, or a key that is not a key", () => {
    const cp = signCheckpoint(unsigned, privateKey);
    expect(verifyCheckpointSignature(cp, publicKeyPemOf(pem()))).toBe(false);
    expect(verifyCheckpointSignature(cp, "not a key")).toBe(false);
  });

  it("refuses to sign with a key that is not Ed25519", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => signCheckpoint(unsigned, rsa)).toThrow(/Ed25519/);
  });
});

describe("the export manifest", () => {
  const manifest = signManifest(
    {
      format: EXPORT_MANIFEST_FORMAT,
      exportId: "e1",
      kind: "audit_events",
      fileFormat: "jsonl",
      fileName: "audit.jsonl",
      filters: { from: "2026-01-01" },
      rowCount: 3,
      sha256: "0".repeat(64),
      chainHead: { seq: 42, hash: unsigned.hash },
      checkpoint: signCheckpoint(unsigned, privateKey),
      keyHistory: [],
      exportedBy: { id: "u1", email: "a@b.c" },
      startedAt: "2026-11-23T10:00:00.000Z",
      completedAt: "2026-11-23T10:00:01.000Z",
    },
    privateKey,
  );

  it("reads a complete manifest, signed whole with the key it names", () => {
    expect(parseExportManifest(manifest)).toMatchObject({
      ok: true,
      manifest: { rowCount: 3, keyId: keyIdOf(publicKey), publicKeyPem: publicKey },
    });
    expect(verifyManifestSignature(manifest, publicKey)).toBe(true);
    expect(manifestMessage(manifest)).toMatch(
      /^\{"chainHead":\{"hash":"(ab)+","seq":42\},"checkpoint":\{"createdAt":.*"keyId":"[0-9a-f]{16}","kind":"audit_events",.*"startedAt":"2026-11-23T10:00:00.000Z"\}$/,
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ["filters", { filters: {} }],
    ["rowCount", { rowCount: 4 }],
    ["sha256", { sha256: "1".repeat(64) }],
    ["kind", { kind: "changes" }],
    ["chainHead", { chainHead: { seq: 41, hash: unsigned.hash } }],
    ["exportedBy", { exportedBy: { id: "u2", email: "a@b.c" } }],
    ["keyId", { keyId: "0".repeat(16) }],
    ["publicKeyPem", { publicKeyPem: publicKeyPemOf(pem()) }],
  ])("its signature fails when %s is changed", (_field, change) => {
    expect(verifyManifestSignature({ ...manifest, ...change } as typeof manifest, publicKey)).toBe(false);
  });

  it("refuses a member the signature does not cover, and an unsigned manifest of the first format", () => {
    expect(parseExportManifest({ ...manifest, verified: true })).toMatchObject({ ok: false });
    expect(parseExportManifest({ ...manifest, signature: undefined, keyId: undefined, format: "portal-export-manifest/1" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/format.*keyId.*signature/s),
    });
  });

  it("names what is wrong", () => {
    const result = parseExportManifest({ ...manifest, sha256: "xyz", rowCount: -1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/sha256.*rowCount|rowCount.*sha256/);
  });
});
