import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, verifyChain } from "@/lib/domain/audit-chain";
import { publicKeyPemOf, signCheckpoint } from "@/lib/domain/audit-checkpoint";
import { EXPORT_MANIFEST_FORMAT, signManifest, type ExportManifest } from "@/lib/domain/export-manifest";
import { judgeAuditExport, type FileFacts } from "@/lib/domain/judge-audit-export";

type Event = { seq: number; prevHash: string; hash: string; action: string };
function chain(n: number): Event[] {
  const events: Event[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const hash = hashEvent(prevHash, { seq, action: `a${seq}` });
    events.push({ seq, action: `a${seq}`, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe("verifyChain on a filtered export", () => {
  const events = chain(10);
  const filtered = events.filter((e) => e.seq % 3 === 0);

  it("allows gaps when asked, still checking each event's own hash", () => {
    expect(verifyChain(filtered, { allowGaps: true })).toMatchObject({ ok: true, count: 3, head: { seq: 9 } });
    expect(verifyChain(filtered)).toMatchObject({ ok: false, problem: "sequence_gap", seq: 3 });
    const edited = filtered.map((e) => (e.seq === 6 ? { ...e, action: "changed" } : e));
    expect(verifyChain(edited, { allowGaps: true })).toMatchObject({ ok: false, problem: "hash_mismatch", seq: 6 });
  });

  it("checks links where events are consecutive", () => {
    const withPair = [events[2]!, { ...events[3]!, prevHash: "f".repeat(64) }];
    expect(verifyChain(withPair, { allowGaps: true })).toMatchObject({ ok: false, problem: "prev_hash_mismatch", seq: 4 });
  });
});

describe("judging an export", () => {
  const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicKeyPem = publicKeyPemOf(key);
  const events = chain(8);
  const cp = (seq: number) => signCheckpoint({ seq, hash: events[seq - 1]!.hash, createdAt: "2026-11-23T10:00:00.000Z" }, key);
  const facts = (overrides: Partial<FileFacts> = {}): FileFacts => ({
    chain: verifyChain(events),
    hashes: new Map(events.map((e) => [e.seq, e.hash])),
    firstSeq: 1,
    gaps: 0,
    sha256: "a".repeat(64),
    rows: 8,
    ...overrides,
  });
  const manifest = (seq: number, extra: Partial<ExportManifest> = {}): ExportManifest =>
    signManifest(
      {
        format: EXPORT_MANIFEST_FORMAT,
        exportId: "x",
        kind: "audit_events",
        fileFormat: "jsonl",
        fileName: "f.jsonl",
        filters: {},
        rowCount: 8,
        sha256: "a".repeat(64),
        chainHead: { seq, hash: events[seq - 1]!.hash },
        checkpoint: cp(seq),
        keyHistory: [],
        exportedBy: { id: "u", email: "e" },
        startedAt: "2026-11-23T10:00:00.000Z",
        completedAt: "2026-11-23T10:00:00.000Z",
        ...extra,
      },
      key,
    );

  it("verifies a consistent file and manifest under the trusted key, and says UNVERIFIED without one", () => {
    expect(judgeAuditExport(facts(), { manifest: manifest(8), trustedKeys: [publicKeyPem] })).toMatchObject({
      status: "verified",
      ok: true,
      broken: null,
    });
    const verdict = judgeAuditExport(facts(), { manifest: manifest(8) });
    expect(verdict).toMatchObject({ status: "unverified", ok: false, broken: null });
    expect(verdict.unproven.find((u) => u.blocking)?.text).toMatch(/no trusted key was given/);
  });

  it.each<[string, Partial<FileFacts>, Partial<ExportManifest> | null, number | undefined, string]>([
    ["another SHA-256", { sha256: "b".repeat(64) }, null, undefined, "sha256_mismatch"],
    ["another row count", { rows: 7 }, null, undefined, "row_count_mismatch"],
    [
      "a replayed older checkpoint, re-signed",
      {},
      { checkpoint: cp(5), chainHead: { seq: 5, hash: events[4]!.hash } },
      6,
      "beyond_chain_head",
    ],
    ["a replayed older checkpoint, not re-signed", {}, { checkpoint: cp(5) }, undefined, "manifest_signature"],
  ])("fails on %s", (what, fileOverrides, manifestOverrides, seq, problem) => {
    const changed = what.includes("not re-signed") ? { ...manifest(8), ...manifestOverrides } : manifest(8, manifestOverrides ?? {});
    const verdict = judgeAuditExport(facts(fileOverrides), { manifest: changed, trustedKeys: [publicKeyPem] });
    expect(verdict.ok).toBe(false);
    expect(verdict.broken).toMatchObject({ problem, ...(seq ? { seq } : {}) });
  });

  it("proves extension of a kept checkpoint, and catches a log that lost it", () => {
    expect(judgeAuditExport(facts(), { manifest: manifest(8), kept: cp(4), trustedKeys: [publicKeyPem] })).toMatchObject({ ok: true });
    // Without a manifest, the events after the kept checkpoint are vouched for by nothing.
    expect(judgeAuditExport(facts(), { kept: cp(4), trustedKeys: [publicKeyPem] })).toMatchObject({ status: "unverified" });
    const shorter = chain(3);
    const verdict = judgeAuditExport(facts({ chain: verifyChain(shorter), hashes: new Map(), rows: 3 }), {
      kept: cp(4),
      trustedKeys: [publicKeyPem],
    });
    expect(verdict.broken).toMatchObject({ seq: 4, problem: "truncated" });
  });
});
