import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, verifyChain } from "@/lib/domain/audit-chain";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { canonicalJson } from "@/lib/domain/canonical-json";

describe("canonical JSON", () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: null, c: true }] }, a: "x" }, '{"a":"x","z":{"y":[3,{"c":true,"d":null}]}}'],
    [{ "é": 1, e: 2, E: 3 }, '{"E":3,"e":2,"é":1}'],
    [{ s: 'quote " and \\ and \n' }, '{"s":"quote \\" and \\\\ and \\n"}'],
    [[1.5, -0, 1e21, 0.1], "[1.5,0,1e+21,0.1]"],
    [{ skipped: undefined, kept: 0 }, '{"kept":0}'],
  ])("writes %j as %s", (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("refuses values JSON cannot represent", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(Infinity)).toThrow();
    expect(() => canonicalJson(new Date())).toThrow(/ISO strings/);
  });

  it("gives equal objects the same bytes whatever their key order", () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

function chain(n: number): AuditEventRecord[] {
  const events: AuditEventRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), actorId: null, actorEmail: `u${seq}@example.test`,
      action: "change.submitted", entityType: "change", entityId: `c${seq}`, changeId: null, before: { state: "draft" }, after: { state: "submitted" },
      reason: null, clientAddress: "192.0.2.1",
    };
    const hash = hashEvent(prevHash, hashedContent(base));
    events.push({ ...base, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe("chain verification", () => {
  it("accepts an untouched chain and reports its head", () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ ok: true, count: 5, headSeq: 5, headHash: events[4]!.hash });
  });

  it("names the altered event when a field changes", () => {
    const events = chain(5);
    events[2] = { ...events[2]!, after: { state: "approved" } };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/altered/) });
  });

  it("names the gap when an event is deleted", () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 2, problem: "events 2 to 2 are missing" });
  });

  it("names the point where events were reordered", () => {
    const events = chain(5);
    [events[1], events[2]] = [events[2]!, events[1]!];
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 2 });
  });

  it("catches an inserted event even when its own hash is consistent", () => {
    const events = chain(3);
    const forged = { ...events[1]!, seq: 3, prevHash: events[1]!.hash, action: "forged" };
    forged.hash = hashEvent(forged.prevHash, hashedContent(forged));
    events.splice(2, 0, forged);
    // The forged event fits, so the original third event no longer links.
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3 });
  });

  it("continues from a trusted point", () => {
    const events = chain(6);
    expect(verifyChain(events.slice(3), { seq: 3, hash: events[2]!.hash })).toMatchObject({ ok: true, count: 3, headSeq: 6 });
    expect(verifyChain(events.slice(3), { seq: 3, hash: "f".repeat(64) })).toMatchObject({ ok: false, seq: 4 });
  });
});
