import { execFile } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { hashEvent } from "@/lib/domain/audit-chain";
import { publicKeyPemOf, signCheckpoint, type SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { csvRow } from "@/lib/domain/csv";
import { EXPORT_MANIFEST_FORMAT, signManifest, unsignedManifestOf, type ExportManifest } from "@/lib/domain/export-manifest";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { auditPublicKeyPem, takeCheckpoint } from "@/lib/server/audit/checkpoints";
import { auditSigningKeys } from "@/lib/server/audit/signing-key";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { verifyExportFile, type VerifyExportOptions } from "@/lib/server/audit-verification/verify-export-file";
import { inTransaction } from "@/lib/server/db/transaction";
import { createTestUser } from "../support/fixtures";

// The offline verifier against a real log: events written by the app, checkpoints signed by the
// app's key, a file and manifest made as an export makes them; then every single tampering.

let dir: string;
let lines: string[];
let events: AuditEventRecord[];
let kept: SignedCheckpoint; // what an auditor downloaded earlier (event 5)
let latest: SignedCheckpoint; // the export's checkpoint (the head)
let manifest: ExportManifest;
let publicKeyPem: string;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const fileOf = (l: string[]) => l.map((x) => x + "\n").join("");
/** A manifest as the portal signs it (with its own key), for this content and checkpoint. */
function manifestFor(
  content: string,
  rowCount: number,
  checkpoint: SignedCheckpoint,
  filters: Record<string, string> = {},
  fileFormat: "jsonl" | "csv" = "jsonl",
  chainHead = { seq: checkpoint.seq, hash: checkpoint.hash },
): ExportManifest {
  return signManifest(
    {
      format: EXPORT_MANIFEST_FORMAT,
      exportId: "test",
      kind: "audit_events",
      fileFormat,
      fileName: `audit.${fileFormat}`,
      filters,
      rowCount,
      sha256: sha256(content),
      chainHead,
      checkpoint,
      keyHistory: [],
      exportedBy: { id: "u", email: "auditor@example.test" },
      startedAt: checkpoint.createdAt,
      completedAt: checkpoint.createdAt,
    },
    auditSigningKeys()[0]!.privateKey,
  );
}
async function write(content: string): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(file, content);
  return file;
}
/** A tampered copy of the export, verified with the untouched manifest, the kept checkpoint and the trusted key. */
async function verifyTampered(change: (l: string[]) => string[], options: Partial<VerifyExportOptions> = {}) {
  return verifyExportFile(await write(fileOf(change([...lines]))), { manifest, kept, trustedKeys: [publicKeyPem], ...options });
}
const edit = (line: string, fn: (e: Record<string, unknown>) => void) => {
  const event = JSON.parse(line);
  fn(event);
  return JSON.stringify(event);
};
/** A forged event that links correctly to its predecessor and carries a correct hash of its own. */
const forged = (prev: AuditEventRecord, seq: number) => {
  const content = { ...hashedContent({ ...prev, seq }), action: "forged.event" };
  return auditJsonLine({
    ...(content as Omit<AuditEventRecord, "hash" | "prevHash">),
    prevHash: prev.hash,
    hash: hashEvent(prev.hash, content),
  });
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "audit-verify-"));
  const user = await createTestUser({ roles: ["auditor"] });
  const write = (i: number) =>
    inTransaction((tx) =>
      appendAuditEvent(tx, {
        actor: user,
        action: i % 2 ? "test.odd" : "test.even",
        entityType: "test",
        entityId: String(i),
        before: { i },
        after: { i: i + 1, note: "=cmd" },
        reason: `step ${i}`,
        clientAddress: "10.0.0.1",
      }),
    );
  for (let i = 0; (await readAuditEvents({ limit: 100 })).length < 5; i++) await write(i);
  kept = await inTransaction((tx) => takeCheckpoint(tx, "on_demand", user.id));
  for (let i = 0; i < 7; i++) await write(i);
  latest = await inTransaction((tx) => takeCheckpoint(tx, "export", user.id));
  events = await readAuditEvents({ limit: 100 });
  lines = events.map(auditJsonLine);
  publicKeyPem = await auditPublicKeyPem();
  manifest = manifestFor(fileOf(lines), lines.length, latest);
  expect(kept.seq).toBe(5);
  expect(latest.seq).toBe(events.length);
});

describe("the offline verifier", () => {
  it("verifies an untouched export: chain, SHA-256, row count, checkpoint signature, and that it extends the kept checkpoint", async () => {
    const verdict = await verifyTampered((l) => l);
    expect(verdict).toMatchObject({ status: "verified", ok: true, broken: null });
    expect(verdict.checks.map((c) => c.label).join("\n")).toMatch(
      /Chain: 12 events[\s\S]*Manifest of export test signed by key[\s\S]*SHA-256 matches[\s\S]*Row count 12[\s\S]*Checkpoint at event 12 signed[\s\S]*ends at the manifest's signed chain head[\s\S]*kept checkpoint at event 5 is signed[\s\S]*extends your kept checkpoint/,
    );
    expect(verdict.proven.join(" ")).toMatch(/Nothing is missing/);
  });

  const FIELDS: [string, unknown][] = [
    ["occurredAt", "2020-01-01T00:00:00.000Z"],
    ["actorId", "00000000-0000-4000-8000-000000000000"],
    ["actorEmail", "someone@else.test"],
    ["action", "test.innocent"],
    ["entityType", "other"],
    ["entityId", "999"],
    ["changeId", "00000000-0000-4000-8000-000000000001"],
    ["before", { i: 0 }],
    ["after", null],
    ["reason", "rewritten"],
    ["clientAddress", "192.0.2.1"],
    ["prevHash", "1".repeat(64)],
    ["hash", "2".repeat(64)],
  ];
  it.each(FIELDS)("names event 7 when its %s is edited", async (field, value) => {
    const verdict = await verifyTampered((l) => {
      l[6] = edit(l[6]!, (e) => {
        e[field] = value;
      });
      return l;
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toMatchObject({ seq: 7, problem: field === "prevHash" ? "prev_hash_mismatch" : "hash_mismatch" });
    expect(verdict.checks.find((c) => c.problem === "sha256_mismatch")).toBeDefined();
  });

  it.each<[string, (l: string[]) => string[], number, string]>([
    [
      "a renumbered event",
      (l) => {
        l[6] = edit(l[6]!, (e) => {
          e.seq = 6;
        });
        return l;
      },
      6,
      "out_of_order",
    ],
    [
      "a deleted event",
      (l) => {
        l.splice(6, 1);
        return l;
      },
      8,
      "sequence_gap",
    ],
    [
      "two events swapped",
      (l) => {
        [l[6], l[7]] = [l[7]!, l[6]!];
        return l;
      },
      8,
      "sequence_gap",
    ],
    [
      "an inserted copy",
      (l) => {
        l.splice(7, 0, l[6]!);
        return l;
      },
      7,
      "out_of_order",
    ],
    [
      "an inserted forged event that links correctly",
      (l) => {
        l.splice(7, 0, forged(events[6]!, 8));
        return l;
      },
      8,
      "out_of_order",
    ],
    [
      "a line that is not an event",
      (l) => {
        l.splice(7, 0, "{not json");
        return l;
      },
      8,
      "unreadable_line",
    ],
    ["the last three events cut off", (l) => l.slice(0, -3), 10, "truncated"],
    ["a cut below the kept checkpoint", (l) => l.slice(0, 3), 4, "truncated"],
  ])("names the right event after %s", async (_what, change, seq, problem) => {
    const verdict = await verifyTampered(change);
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toMatchObject({ seq, problem });
  });

  it("catches a history rewritten and re-hashed from event 3 on, by the kept checkpoint", async () => {
    const rewritten: AuditEventRecord[] = [];
    for (const event of events) {
      const prev = rewritten.at(-1);
      if (event.seq < 3) {
        rewritten.push(event);
        continue;
      }
      const content = hashedContent({ ...event, reason: event.seq === 3 ? "rewritten" : event.reason });
      const prevHash = prev!.hash;
      rewritten.push({ ...(content as Omit<AuditEventRecord, "hash" | "prevHash">), prevHash, hash: hashEvent(prevHash, content) });
    }
    const content = fileOf(rewritten.map(auditJsonLine));
    // Even a manifest signed for the rewritten file (as if the key had been used to cover it up) does not hide it from a kept checkpoint.
    const verdict = verifyExportFile(await write(content), {
      manifest: manifestFor(content, rewritten.length, latest),
      kept,
      trustedKeys: [publicKeyPem],
    });
    expect(verdict.broken).toMatchObject({ seq: 5, problem: "checkpoint_mismatch" });
    expect(verdict.checks.some((c) => c.seq === 12 && c.problem === "checkpoint_mismatch")).toBe(true);
  });

  it("catches replay of an older checkpoint in the manifest, and a manifest older than the checkpoint kept", async () => {
    const file = await write(fileOf(lines));
    const trustedKeys = [publicKeyPem];
    // Put in by hand, the manifest's signature fails; signed anew (the key in a forger's hands), the chain gives it away.
    expect(
      verifyExportFile(file, { manifest: { ...manifest, checkpoint: kept, chainHead: { seq: kept.seq, hash: kept.hash } }, trustedKeys }),
    ).toMatchObject({ ok: false, broken: { problem: "manifest_signature" } });
    expect(verifyExportFile(file, { manifest: manifestFor(fileOf(lines), lines.length, kept), trustedKeys })).toMatchObject({
      ok: false,
      broken: { seq: 6, problem: "beyond_chain_head" },
    });
    expect(
      verifyExportFile(file, { manifest: manifestFor(fileOf(lines), lines.length, kept, {}, "jsonl", manifest.chainHead), trustedKeys }),
    ).toMatchObject({ ok: false, broken: { seq: 6, problem: "stale_checkpoint" } });
    // An old export, complete and consistent with its own manifest, shown to an auditor who kept a newer checkpoint.
    const old = fileOf(lines.slice(0, 5));
    const oldManifest = manifestFor(old, 5, kept);
    expect(verifyExportFile(await write(old), { manifest: oldManifest, trustedKeys })).toMatchObject({ ok: true });
    expect(verifyExportFile(await write(old), { manifest: oldManifest, trustedKeys, kept: latest })).toMatchObject({
      ok: false,
      broken: { seq: 6, problem: "stale_checkpoint" },
    });
  });

  it("catches a forged checkpoint and a manifest that brings its own key", async () => {
    const forgedCp = { ...latest, hash: "3".repeat(64) };
    expect(
      await verifyTampered((l) => l, { manifest: manifestFor(fileOf(lines), lines.length, forgedCp, {}, "jsonl", manifest.chainHead) }),
    ).toMatchObject({ ok: false, broken: { seq: 12, problem: "checkpoint_signature" } });
    const attackerKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const selfSigned = signCheckpoint({ seq: latest.seq, hash: latest.hash, createdAt: latest.createdAt }, attackerKey);
    const attackerManifest = signManifest({ ...unsignedManifestOf(manifest), checkpoint: selfSigned }, attackerKey);
    expect(publicKeyPemOf(attackerKey)).toBe(attackerManifest.publicKeyPem);
    expect(await verifyTampered((l) => l, { manifest: attackerManifest })).toMatchObject({
      ok: false,
      broken: { problem: "manifest_key" },
    });
    // With no key of their own, the auditor is told so: the manifest's own key proves nothing.
    expect(await verifyTampered((l) => l, { manifest: attackerManifest, trustedKeys: [], kept: undefined })).toMatchObject({
      status: "unverified",
      broken: null,
    });
  });

  it("verifies a filtered export (gaps expected, each line's own hash checked) and names an edit in it", async () => {
    const odd = lines.filter((l) => JSON.parse(l).action === "test.odd");
    const content = fileOf(odd);
    const filteredManifest = manifestFor(content, odd.length, latest, { action: "test.odd" });
    const trustedKeys = [publicKeyPem];
    expect(verifyExportFile(await write(content), { manifest: filteredManifest, trustedKeys })).toMatchObject({ status: "unverified" });
    const verdict = verifyExportFile(await write(content), { manifest: filteredManifest, trustedKeys, acceptFiltered: true });
    expect(verdict).toMatchObject({ status: "verified" });
    expect(verdict.notes.join(" ")).toMatch(/\d+ gaps in the sequence numbers, as a filtered export has/);
    expect(verdict.unproven.map((u) => u.text).join(" ")).toMatch(/every event matching the filters is in the file/);
    const victim = JSON.parse(odd[1]!).seq as number;
    const edited = fileOf(
      odd.map((l, i) =>
        i === 1
          ? edit(l, (e) => {
              e.reason = "x";
            })
          : l,
      ),
    );
    expect(verifyExportFile(await write(edited), { manifest: filteredManifest, trustedKeys, acceptFiltered: true })).toMatchObject({
      ok: false,
      broken: { seq: victim, problem: "hash_mismatch" },
    });
    expect(verifyExportFile(await write(content), {})).toMatchObject({ ok: false, broken: { problem: "sequence_gap" } });
  });

  it("checks a CSV export's bytes and rows against its manifest", async () => {
    const csv = csvRow(["seq", "action", "reason"]) + events.map((e) => csvRow([e.seq, e.action, `${e.reason}\nsecond line`])).join("");
    const csvManifest = manifestFor(csv, events.length, latest, {}, "csv");
    const file = path.join(dir, "events.csv");
    await writeFile(file, csv);
    expect(verifyExportFile(file, { manifest: csvManifest, trustedKeys: [publicKeyPem] })).toMatchObject({ ok: true });
    await writeFile(file, csv.replace("test.odd", "test.odf"));
    expect(verifyExportFile(file, { manifest: csvManifest, trustedKeys: [publicKeyPem] })).toMatchObject({
      ok: false,
      broken: { problem: "sha256_mismatch" },
    });
  });

  it("runs as `npm run audit:verify`: exit 0 and VERIFIED, exit 1 naming the broken event, exit 2 without a trusted key", async () => {
    const file = await write(fileOf(lines));
    await writeFile(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    await writeFile(path.join(dir, "kept.json"), JSON.stringify(kept));
    await writeFile(path.join(dir, "key.pem"), publicKeyPem);
    const run = promisify(execFile);
    const args = [
      "scripts/audit/verify-export.ts",
      file,
      "--manifest",
      path.join(dir, "manifest.json"),
      "--checkpoint",
      path.join(dir, "kept.json"),
      "--public-key",
      path.join(dir, "key.pem"),
    ];
    const ok = await run(path.resolve("node_modules/.bin/tsx"), args);
    expect(ok.stdout).toContain("VERIFIED");
    const tampered = await write(
      fileOf(
        lines.map((l, i) =>
          i === 8
            ? edit(l, (e) => {
                e.reason = "x";
              })
            : l,
        ),
      ),
    );
    const failed = await run(path.resolve("node_modules/.bin/tsx"), [args[0]!, tampered, ...args.slice(2)]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/BROKEN at event 9 \(hash_mismatch\)/);
    expect(await readFile(file, "utf8")).toBe(fileOf(lines));
    const unkeyed = await run(path.resolve("node_modules/.bin/tsx"), args.slice(0, -2)).catch((e: { code: number; stderr: string }) => e);
    expect(unkeyed).toMatchObject({ code: 2, stderr: expect.stringContaining("UNVERIFIED (no trusted key)") });
    // Issue 28's reproduction: the first events cut off, verified with a checkpoint noted as seq:hash.
    const cut = await write(fileOf(lines.slice(6)));
    const noted = await run(path.resolve("node_modules/.bin/tsx"), [
      args[0]!,
      cut,
      "--checkpoint",
      `${kept.seq}:${kept.hash}`,
      "--public-key",
      path.join(dir, "key.pem"),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(noted).toMatchObject({ code: 1, stderr: expect.stringMatching(/BROKEN at event 5 \(kept_event_missing\)/) });
  });
});
