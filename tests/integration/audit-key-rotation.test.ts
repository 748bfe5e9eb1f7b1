import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { chainEvent } from "@/lib/domain/audit-chain";
import { keyIdOf, publicKeyPemOf, signCheckpoint, verifyCheckpointSignature, type SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { parseExportManifest, signManifest, unsignedManifestOf, type ExportManifest } from "@/lib/domain/export-manifest";
import { ROTATION_ACTION, signRotation } from "@/lib/domain/key-history";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { auditPublicKeyPem, listCheckpoints } from "@/lib/server/audit/checkpoints";
import { auditVerifyCommand } from "@/lib/server/audit-verification/audit-verify-command";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { rotateSigningKey } from "@/lib/server/audit-verification/rotate-signing-key";
import { takeCheckpointOnDemand } from "@/lib/server/audit-verification/take-checkpoint-on-demand";
import { verifyLiveChain } from "@/lib/server/audit-verification/verify-live-chain";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestUser } from "../support/fixtures";
import { asOwner } from "../support/statements";

// Two rotations (K0 → K1 → K2) in a real log: each is an audit event signed by the key it
// retires; live verification and the offline verifier, given any one of the three keys, accept the
// whole history; nobody can bring a key of their own, and a retired key signs nothing after it.

const keys = await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const pems = [0, 1, 2].map(() => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  // The instance holds all three, as it does around a rotation (the oldest first); a small period crosses checkpoints.
  process.env.AUDIT_SIGNING_KEY = pems.join("");
  process.env.AUDIT_CHECKPOINT_EVERY = "4";
  return pems;
});
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const exportRoute = await import("@/app/api/audit/export/route");
const manifestRoute = await import("@/app/api/exports/[id]/manifest/route");

const ring = keys.map((k) => ({ private: k, public: publicKeyPemOf(k) }));
const [K0, K1, K2] = [ring[0]!, ring[1]!, ring[2]!];
const append = (n: number) =>
  inTransaction(async (tx) => {
    for (let i = 0; i < n; i++) await appendAuditEvent(tx, { actor: null, action: "test.event", entityType: "test", after: { i } });
  });

let dir: string;
let admin: Actor;
let kept0: SignedCheckpoint;
let kept1: SignedCheckpoint;
let rotations: number[];
let exported: { file: string; content: string; manifest: ExportManifest; manifestFile: string };
const put = async (name: string, content: string) => {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
};
const keyFile = (pem: string) => put(`key-${Math.random().toString(36).slice(2)}.pem`, pem);
async function verifyOffline(args: { file?: string; manifestFile?: string | null; kept?: SignedCheckpoint; trusted: string[] }) {
  const argv = [args.file ?? exported.file];
  if (args.manifestFile !== null) argv.push("--manifest", args.manifestFile ?? exported.manifestFile);
  if (args.kept) argv.push("--checkpoint", await put(`kept-${args.kept.seq}.json`, JSON.stringify(args.kept)));
  for (const pem of args.trusted) argv.push("--public-key", await keyFile(pem));
  return auditVerifyCommand(argv);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "key-rotation-"));
  admin = (await createTestUser({ roles: ["admin", "auditor"] })).actor;
  session.actor = admin;
  await append(5);
  kept0 = ((await takeCheckpointOnDemand(admin)) as { ok: true; value: { checkpoint: SignedCheckpoint } }).value.checkpoint;
  const first = await rotateSigningKey(admin, keyIdOf(K1.public));
  await append(6);
  kept1 = ((await takeCheckpointOnDemand(admin)) as { ok: true; value: { checkpoint: SignedCheckpoint } }).value.checkpoint;
  const second = await rotateSigningKey(admin, keyIdOf(K2.public));
  await append(3);
  rotations = [first.seq, second.seq];

  const response = await exportRoute.GET(new Request("http://localhost/api/audit/export"));
  expect(response.status).toBe(200);
  const content = await response.text();
  const id = response.headers.get("x-export-id")!;
  const manifestText = await (
    await manifestRoute.GET(new Request(`http://localhost/api/exports/${id}/manifest`), { params: Promise.resolve({ id }) })
  ).text();
  const parsed = parseExportManifest(JSON.parse(manifestText));
  if (!parsed.ok) throw new Error(parsed.message);
  exported = {
    file: await put("audit-events.jsonl", content),
    content,
    manifest: parsed.manifest,
    manifestFile: await put("manifest.json", manifestText),
  };
});

describe("rotating the audit signing key twice", () => {
  it("records each rotation as an event signed by the retiring key, which also signs a checkpoint of it", async () => {
    const events = await readAuditEvents({ limit: 1000 });
    const rotationEvents = events.filter((e) => e.action === ROTATION_ACTION);
    expect(rotationEvents.map((e) => e.seq)).toEqual(rotations);
    expect(rotationEvents.map((e) => e.after as { previousKeyId: string; keyId: string })).toMatchObject([
      { previousKeyId: keyIdOf(K0.public), keyId: keyIdOf(K1.public) },
      { previousKeyId: keyIdOf(K1.public), keyId: keyIdOf(K2.public) },
    ]);
    const checkpoints = await listCheckpoints({ limit: 100 });
    for (const [i, seq] of rotations.entries()) {
      const cp = checkpoints.find((c) => c.reason === "key_rotation" && c.seq === seq)!;
      expect(verifyCheckpointSignature(cp, [K0, K1][i]!.public)).toBe(true);
    }
    // Every checkpoint is signed by the key of its stretch of the chain.
    for (const cp of checkpoints) {
      const key =
        cp.seq <= rotations[0]! && (cp.seq < rotations[0]! || cp.reason === "key_rotation")
          ? K0
          : cp.seq <= rotations[1]! && (cp.seq < rotations[1]! || cp.reason === "key_rotation")
            ? K1
            : K2;
      expect(verifyCheckpointSignature(cp, key.public), `checkpoint at ${cp.seq} (${cp.reason})`).toBe(true);
    }
    expect(await auditPublicKeyPem()).toBe(K2.public);
    expect(exported.manifest).toMatchObject({
      keyId: keyIdOf(K2.public),
      keyHistory: [
        { seq: rotations[0], keyId: keyIdOf(K1.public) },
        { seq: rotations[1], keyId: keyIdOf(K2.public) },
      ],
    });
    expect(exported.manifest.publicKeyPem).toBe(K2.public);
  });

  it("verifies live: every checkpoint under the key its stretch of the chain names", async () => {
    const result = await verifyLiveChain(() => undefined);
    expect(result).toMatchObject({ ok: true, broken: undefined });
    expect(result.checkpointsChecked).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ["the oldest key", 0],
    ["the middle key", 1],
    ["the newest key", 2],
  ])("verifies offline given only %s", async (_what, i) => {
    const r = await verifyOffline({ trusted: [[K0, K1, K2][i]!.public] });
    expect(r.exitCode, r.stdout.concat(r.stderr).join("\n")).toBe(0);
    expect(r.stdout.join("\n")).toMatch(
      /Key history: [0-9a-f]{16} → [0-9a-f]{16} → [0-9a-f]{16}, each rotation signed by the key it retired/,
    );
  });

  it("proves the log only grew since checkpoints kept under retired keys, given only the newest key", async () => {
    for (const kept of [kept0, kept1]) {
      const r = await verifyOffline({ kept, trusted: [K2.public] });
      expect(r.exitCode, r.stdout.concat(r.stderr).join("\n")).toBe(0);
      expect(r.stdout.join("\n")).toMatch(new RegExp(`kept checkpoint at event ${kept.seq} is signed by key ${kept.keyId}`));
    }
  });

  it("refuses a key of an attacker's, brought in by a forged rotation in the file or in a re-signed manifest", async () => {
    const evil = (await import("../support/audit-export-fixture")).newKey();
    // A rotation K2 → evil appended to the file, signed by evil (the attacker has no K2), and the chain re-linked.
    const events: AuditEventRecord[] = exported.content
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const last = events.at(-1)!;
    const after = signRotation({ seq: last.seq + 1, prevHash: last.hash }, evil, publicKeyPemOf(evil));
    const content = hashedContent({
      ...last,
      seq: last.seq + 1,
      action: ROTATION_ACTION,
      entityType: "audit_log",
      after: { ...after, previousKeyId: keyIdOf(K2.public), previousPublicKeyPem: K2.public },
    });
    const forged = {
      ...(content as Omit<AuditEventRecord, "prevHash" | "hash">),
      prevHash: last.hash,
      hash: chainEvent(last.hash, content).hash,
    };
    const file = await put("forged.jsonl", exported.content + auditJsonLine(forged) + "\n");
    const inFile = await verifyOffline({ file, manifestFile: null, trusted: [K0.public] });
    expect(inFile.exitCode).toBe(1);
    expect(inFile.stderr.at(-1)).toMatch(
      /BROKEN at event \d+ \(key_rotation\): The key rotation at event \d+ is not signed by the key it retires/,
    );
    // The attacker's own manifest, with the forged rotation in its key history and signed by their key.
    const checkpoint = signCheckpoint({ seq: forged.seq, hash: forged.hash, createdAt: new Date().toISOString() }, evil);
    const evilManifest = signManifest(
      {
        ...unsignedManifestOf(exported.manifest),
        checkpoint,
        chainHead: { seq: forged.seq, hash: forged.hash },
        keyHistory: [...exported.manifest.keyHistory, { seq: forged.seq, prevHash: last.hash, ...(forged.after as typeof after) }],
      },
      evil,
    );
    const withManifest = await verifyOffline({
      file,
      manifestFile: await put("evil-manifest.json", JSON.stringify(evilManifest)),
      trusted: [K0.public],
    });
    expect(withManifest.exitCode).toBe(1);
    expect(withManifest.stderr.at(-1)).toMatch(/\(key_rotation\)|\(manifest_key\)/);
  });

  it("breaks live verification when a retired key signs a checkpoint after its retirement", async () => {
    const events = await readAuditEvents({ limit: 1000 });
    const late = events.at(-1)!;
    const cp = signCheckpoint({ seq: late.seq, hash: late.hash, createdAt: new Date().toISOString() }, K0.private);
    await asOwner([
      `INSERT INTO audit_checkpoints (seq, hash, created_at, key_id, signature, reason) VALUES (${cp.seq}, '${cp.hash}', '${cp.createdAt}', '${cp.keyId}', '${cp.signature}', 'on_demand')`,
    ]);
    const result = await verifyLiveChain(() => undefined);
    expect(result).toMatchObject({ ok: false, broken: { seq: late.seq, problem: "checkpoint_unknown_key" } });
    expect(result.broken!.message).toMatch(new RegExp(`key ${cp.keyId} signs events 1 to ${rotations[0]} only, not event ${late.seq}`));
  });

  it("refuses to rotate when no key the log never used is held", async () => {
    await expect(rotateSigningKey(admin)).rejects.toThrow(/No new key to rotate to/);
  });
});
