import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, publicKeyPemOf } from "@/lib/domain/audit-checkpoint";
import { signRotation } from "@/lib/domain/key-history";
import { makeExport, newKey, type ExportFixture } from "../support/audit-export-fixture";

// docs/audit-format.md is enough to verify an export: a checkpoint's and a manifest's signature
// are checked by `openssl pkeyutl` over bytes written from the document's rules alone (no
// function of ours makes them), and a link by `sha256sum` over the bytes the document names.

const OPENSSL = process.env.OPENSSL ?? "/usr/bin/openssl";
let dir: string;
let fx: ExportFixture;
let keyFile: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "audit-format-"));
  fx = makeExport(30);
  keyFile = path.join(dir, "audit-public-key.pem");
  writeFileSync(keyFile, fx.publicKeyPem);
});

/** openssl's verdict on a signature (base64) over a message, under the export's key or another. */
function opensslVerifies(message: string, signatureBase64: string, publicKeyFile = keyFile): boolean {
  const name = Math.random().toString(36).slice(2);
  writeFileSync(path.join(dir, `${name}.msg`), message, "utf8");
  writeFileSync(path.join(dir, `${name}.sig`), Buffer.from(signatureBase64, "base64"));
  try {
    const out = execFileSync(
      OPENSSL,
      [
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        publicKeyFile,
        "-rawin",
        "-in",
        path.join(dir, `${name}.msg`),
        "-sigfile",
        path.join(dir, `${name}.sig`),
      ],
      { encoding: "utf8", stdio: "pipe" },
    );
    return /Signature Verified Successfully/.test(out);
  } catch {
    return false;
  }
}

// Section 1 of the document, written out: sorted keys, no white space, strings and numbers as
// JSON.stringify writes them.
function documentedCanonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(documentedCanonical).join(",")}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${documentedCanonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

describe("docs/audit-format.md, checked with openssl", () => {
  it("a checkpoint: openssl verifies its signature over the documented message", () => {
    const cp = fx.kept[0] ?? fx.manifest.checkpoint;
    const message = `{"createdAt":"${cp.createdAt}","hash":"${cp.hash}","keyId":"${cp.keyId}","seq":${cp.seq}}`;
    expect(opensslVerifies(message, cp.signature)).toBe(true);
    expect(opensslVerifies(message.replace(`"seq":${cp.seq}`, `"seq":${cp.seq + 1}`), cp.signature)).toBe(false);
  });

  it("a manifest: openssl verifies its signature over the canonical JSON of every member but the signature", () => {
    const served = JSON.parse(JSON.stringify(fx.manifest, null, 2)) as Record<string, unknown>;
    const { signature, ...signed } = served;
    const message = documentedCanonical(signed);
    expect(message.startsWith('{"chainHead":{"hash":"')).toBe(true);
    expect(message).toContain('"exportId":"6f1c2a8e-0000-4000-8000-000000000001","exportedBy":{"email":');
    expect(opensslVerifies(message, signature as string)).toBe(true);
    expect(opensslVerifies(documentedCanonical({ ...signed, rowCount: 29 }), signature as string)).toBe(false);
  });

  it("a key rotation: openssl verifies the retiring key's signature over the documented message", () => {
    const next = newKey();
    const nextPem = publicKeyPemOf(next);
    const r = signRotation({ seq: 31, prevHash: fx.events[29]!.hash }, fx.privateKey, nextPem);
    const message = `{"format":"portal-audit-key-rotation/1","keyId":"${keyIdOf(nextPem)}","prevHash":"${fx.events[29]!.hash}","previousKeyId":"${fx.manifest.keyId}","publicKeyPem":${JSON.stringify(nextPem)},"seq":31}`;
    expect(opensslVerifies(message, r.signature)).toBe(true);
    expect(opensslVerifies(message.replace('"seq":31', '"seq":32'), r.signature)).toBe(false);
  });

  it("the key id is the first 16 hex digits of SHA-256 over the key's DER", () => {
    const der = execFileSync(OPENSSL, ["pkey", "-pubin", "-in", keyFile, "-outform", "DER"]);
    expect(der.length).toBe(44);
    expect(der.subarray(0, 12).toString("hex")).toBe("302a300506032b6570032100");
    const digest = execFileSync("sha256sum", { input: der, encoding: "utf8" }).slice(0, 16);
    expect(digest).toBe(fx.manifest.keyId);
  });

  it("a link: sha256sum of prevHash, '{' and the line from byte 153 is the line's hash", () => {
    const line = fx.content.split("\n")[6]!;
    const bytes = Buffer.from(line, "utf8");
    const input = Buffer.concat([bytes.subarray(87, 151), Buffer.from("{"), bytes.subarray(153)]);
    const digest = execFileSync("sha256sum", { input, encoding: "utf8" }).slice(0, 64);
    expect(digest).toBe(bytes.subarray(9, 73).toString("latin1"));
    expect(bytes.subarray(87, 151).toString("latin1")).toBe(fx.content.split("\n")[5]!.slice(9, 73));
  });
});
