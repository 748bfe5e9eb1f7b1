import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chainEvent, GENESIS_HASH } from "@/lib/domain/audit-chain";
import { signCheckpoint, type SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { canonicalJson } from "@/lib/domain/canonical-json";
import { auditVerifyCommand } from "@/lib/server/audit-verification/audit-verify-command";
import { checkpointAt, fileOf, makeExport, manifestFor, newKey, type ExportFixture } from "../support/audit-export-fixture";

// A witness (a SIEM subscribed to audit.checkpoint) kept the signed checkpoints at events 50 and
// 150 as their webhook bodies arrived. Whoever later rewrites history, even an insider holding
// the signing key who re-chains the log and signs a fresh manifest, cannot match them.

let dir: string;
let fx: ExportFixture;
let n = 0;
const put = (name: string, content: string) => {
  const file = path.join(dir, `${n++}-${name}`);
  writeFileSync(file, content);
  return file;
};
// Exactly the body the portal sends (lib/server/audit/webhook-outbox.ts checkpointBody).
const body = (cp: SignedCheckpoint) =>
  canonicalJson({ seq: cp.seq, hash: cp.hash, createdAt: cp.createdAt, keyId: cp.keyId, signature: cp.signature });
const witnessFile = (cps: SignedCheckpoint[]) => cps.map(body).join("\n") + "\n";

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "audit-witness-"));
  fx = makeExport(200);
});

/** An export of these events, with a manifest the insider signs with the real key. */
function verify(events: AuditEventRecord[], witness: SignedCheckpoint[] | null = fx.kept) {
  const lines = events.map(auditJsonLine);
  const content = fileOf(lines);
  const head = checkpointAt(events, events.length, fx.privateKey);
  const manifest = manifestFor(content, events.length, head, fx.privateKey);
  return auditVerifyCommand([
    put("export.jsonl", content),
    "--manifest",
    put("manifest.json", JSON.stringify(manifest)),
    "--public-key",
    put("key.pem", fx.publicKeyPem),
    ...(witness ? ["--witness", put("witness.jsonl", witnessFile(witness))] : []),
  ]);
}

/** The events re-chained from `from` on, after a change, so every hash and link is right again. */
function rechain(events: AuditEventRecord[], from: number): AuditEventRecord[] {
  const out = events.slice(0, from - 1);
  events.slice(from - 1).forEach((event, i) => {
    const prevHash = out.at(-1)?.hash ?? GENESIS_HASH;
    const content = hashedContent({ ...event, seq: from + i });
    out.push({ ...(content as Omit<AuditEventRecord, "prevHash" | "hash">), prevHash, hash: chainEvent(prevHash, content).hash });
  });
  return out;
}

const broken = (r: ReturnType<typeof auditVerifyCommand>) => [r.exitCode, r.stderr.at(-1)];

describe("audit:verify --witness", () => {
  it("passes an honest export against the witness's checkpoints", () => {
    const r = verify(fx.events);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("  ok   The witness's checkpoint at event 50 is signed by key " + fx.kept[0]!.keyId);
    expect(r.stdout.join("\n")).toMatch(/The log was not rewritten after the witness received its 2 checkpoints/);
    expect(r.stdout.at(-1)).toBe("VERIFIED");
  });

  it("fails an edited event, re-chained and re-signed by an insider", () => {
    const edited = fx.events.map((e) => (e.seq === 30 ? { ...e, reason: "nothing to see" } : e));
    // Without the witness the insider's rewrite verifies: the key signed it.
    expect(verify(rechain(edited, 30), null).exitCode).toBe(0);
    expect(broken(verify(rechain(edited, 30)))).toEqual([
      1,
      expect.stringMatching(/^BROKEN at event 50 \(checkpoint_mismatch\): Event 50 differs from the witness's checkpoint/),
    ]);
  });

  it("fails a history cut before the witness's last checkpoint", () => {
    expect(broken(verify(fx.events.slice(0, 120)))).toEqual([
      1,
      expect.stringMatching(/BROKEN at event 121 \(stale_checkpoint\).*older than the witness's checkpoint \(event 150\)/),
    ]);
    // Cut from the middle and renumbered: the witness's event 50 no longer matches.
    const cut = [...fx.events.slice(0, 40), ...fx.events.slice(45)];
    expect(broken(verify(rechain(cut, 41)))).toEqual([1, expect.stringMatching(/BROKEN at event 50 \(checkpoint_mismatch\)/)]);
  });

  it("fails reordered events", () => {
    const swapped = [...fx.events];
    [swapped[9], swapped[10]] = [swapped[10]!, swapped[9]!];
    expect(broken(verify(rechain(swapped, 10)))).toEqual([1, expect.stringMatching(/BROKEN at event 50 \(checkpoint_mismatch\)/)]);
  });

  it("fails a forged checkpoint slipped into the witness's file", () => {
    const edited = rechain(
      fx.events.map((e) => (e.seq === 30 ? { ...e, reason: "x" } : e)),
      30,
    );
    // Altered to match the rewritten log, with the original signature kept.
    const altered = { ...fx.kept[0]!, hash: edited[49]!.hash };
    expect(broken(verify(edited, [altered]))).toEqual([
      1,
      expect.stringMatching(/\(checkpoint_signature\).*witness's checkpoint at event 50 has an invalid signature/),
    ]);
    // Signed by a key of the forger's own.
    const foreign = signCheckpoint({ seq: 50, hash: edited[49]!.hash, createdAt: fx.kept[0]!.createdAt }, newKey());
    expect(broken(verify(edited, [foreign]))).toEqual([1, expect.stringMatching(/\(checkpoint_unknown_key\)/)]);
  });

  it("refuses a witness file that does not hold checkpoints", () => {
    const args = [put("e.jsonl", fx.content), "--public-key", put("k.pem", fx.publicKeyPem), "--witness"];
    expect(auditVerifyCommand([...args, put("w.jsonl", "not json\n")])).toMatchObject({
      exitCode: 3,
      stderr: [expect.stringMatching(/Line 1 of .* is not JSON/), expect.any(String)],
    });
    expect(auditVerifyCommand([...args, put("w.jsonl", '{"seq":1}\n')])).toMatchObject({ exitCode: 3 });
    // A JSON array of bodies is read too.
    expect(
      auditVerifyCommand([
        ...args,
        put("w.json", `[${fx.kept.map(body).join(",")}]`),
        "--manifest",
        put("m.json", JSON.stringify(fx.manifest)),
      ]).exitCode,
    ).toBe(0);
  });
});
