import { describe, expect, it, vi } from "vitest";
import { GENESIS_HASH, hashCanonical, sha256Hex } from "@/lib/domain/audit-chain";
import { hashedContentJson, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine, readAuditLine } from "@/lib/domain/audit-jsonl";
import { canonicalJson } from "@/lib/domain/canonical-json";

function event(seq: number, overrides: Partial<AuditEventRecord> = {}): AuditEventRecord {
  const content = {
    seq,
    occurredAt: "2026-11-23T10:00:00.000Z",
    actorId: "7d0f4a52-58c4-4c53-9a36-6f1f3c3f0b11",
    actorEmail: "ana@example.com",
    action: "change.updated",
    entityType: "change",
    entityId: "c-1",
    changeId: null,
    before: { title: 'Old "quoted" title', tags: ["a"] },
    after: { title: "Nouveau titre é ✓", n: 1.5 },
    reason: "line one\nline two",
    clientAddress: "10.0.0.1",
    ...overrides,
  };
  const prevHash = sha256Hex(`previous ${seq}`);
  return { ...content, prevHash, hash: hashCanonical(prevHash, hashedContentJson(content)) };
}

const read = (line: string, n = 1) => {
  const bytes = Buffer.from(`garbage before\n${line}\nand after`);
  const start = bytes.indexOf("\n") + 1;
  return readAuditLine(bytes, start, start + Buffer.byteLength(line), n);
};

describe("an exported event line", () => {
  it("is a JSON object of the event's fields that holds the hashed bytes verbatim", () => {
    const e = event(1234567);
    const line = auditJsonLine(e);
    expect(JSON.parse(line)).toEqual(e);
    expect(line.startsWith(`{"hash":"${e.hash}","prevHash":"${e.prevHash}",`)).toBe(true);
    // What SHA-256 covers is the previous hash, then "{" and the rest of the line as it stands.
    expect(sha256Hex(e.prevHash + "{" + line.slice(153))).toBe(e.hash);
  });

  it("is read back with its link and its hash recomputed, without parsing", () => {
    const e = event(1234567);
    const line = auditJsonLine(e);
    const parse = vi.spyOn(JSON, "parse");
    try {
      expect(read(line)).toEqual({ seq: 1234567, prevHash: e.prevHash, hash: e.hash, recomputed: e.hash });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it("recomputes a different hash once any field is edited", () => {
    const e = event(42);
    const edited = auditJsonLine(e).replace("line one", "line 1");
    const result = read(edited);
    expect(result.hash).toBe(e.hash);
    expect(result.recomputed).not.toBe(e.hash);
    const reseq = auditJsonLine(e).replace(',"seq":42}', ',"seq":43}');
    expect(read(reseq).recomputed).not.toBe(e.hash);
  });

  it("judges content, not layout: the same event reordered, spaced, or in the older sorted layout verifies", () => {
    const e = event(7);
    const { seq, reason, ...rest } = e;
    const reordered = JSON.stringify({ seq, reason, ...rest });
    const spaced = JSON.stringify(JSON.parse(auditJsonLine(e)), null, 0).replace('"action":', '"action": ');
    const sortedWhole = canonicalJson(e);
    for (const line of [reordered, spaced, sortedWhole, auditJsonLine(e) + "\r"]) {
      expect(read(line)).toEqual({ seq: 7, prevHash: e.prevHash, hash: e.hash, recomputed: e.hash });
    }
  });

  it("names a line that is not an event", () => {
    expect(() => read("{not json", 3)).toThrow("Line 3 is not valid JSON.");
    expect(() => read(`{"hash":"${GENESIS_HASH}","prevHash":"${GENESIS_HASH}","seq":1}`, 4)).toThrow(
      /Line 4 is not an audit event \(missing/,
    );
    const e = event(9);
    expect(() => read(auditJsonLine(e).slice(0, -10), 5)).toThrow("Line 5 is not valid JSON.");
  });
});
