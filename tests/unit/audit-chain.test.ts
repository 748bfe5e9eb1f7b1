import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, sha256Hex, verifyChain } from "@/lib/domain/audit-chain";
import { canonicalJson } from "@/lib/domain/canonical-json";

type Event = { seq: number; prevHash: string; hash: string; action: string; actorId: string | null; after: unknown };

function chain(n: number): Event[] {
  const events: Event[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = { seq, action: `test.${seq}`, actorId: seq % 2 ? "u1" : null, after: { n: seq } };
    const hash = hashEvent(prevHash, content);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe("hashEvent", () => {
  it("is SHA-256 over the previous hash followed by the event's canonical JSON", () => {
    const event = { b: 2, a: "é" };
    expect(hashEvent(GENESIS_HASH, event)).toBe(sha256Hex(GENESIS_HASH + `{"a":"é","b":2}`));
    expect(canonicalJson(event)).toBe(`{"a":"é","b":2}`);
  });

  it("matches a known SHA-256 vector and hashes UTF-8", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("é")).toBe(
      createHash("sha256")
        .update(Buffer.from([0xc3, 0xa9]))
        .digest("hex"),
    );
    expect(GENESIS_HASH).toBe("0".repeat(64));
  });

  it("does not depend on key order", () => {
    expect(hashEvent(GENESIS_HASH, { a: 1, b: 2 })).toBe(hashEvent(GENESIS_HASH, { b: 2, a: 1 }));
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and an empty one, and reports the head", () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: events[4]!.hash } });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it("names a changed field as a hash mismatch at that event", () => {
    const events = chain(5);
    events[2] = { ...events[2]!, after: { n: 999 } };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3, problem: "hash_mismatch", count: 2 });
  });

  it("notices a field added to an event", () => {
    const events = chain(3);
    events[1] = { ...events[1]!, ...{ reason: "added later" } };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 2, problem: "hash_mismatch" });
  });

  it("names a deleted event as a gap at the event after it", () => {
    const events = chain(5);
    events.splice(2, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 4, problem: "sequence_gap", message: "Events 3 to 3 are missing." });
  });

  it("notices a deleted first event", () => {
    expect(verifyChain(chain(3).slice(1))).toMatchObject({ ok: false, seq: 2, problem: "sequence_gap" });
  });

  it("names reordered events", () => {
    const events = chain(5);
    [events[1], events[2]] = [events[2]!, events[1]!];
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3, problem: "sequence_gap" });
    const swappedBack = chain(5);
    const moved = swappedBack.splice(3, 1)[0]!;
    swappedBack.splice(1, 0, moved);
    expect(verifyChain(swappedBack)).toMatchObject({ ok: false, seq: 4, problem: "sequence_gap" });
  });

  it("names a repeated event as out of order", () => {
    const events = chain(3);
    events.splice(2, 0, events[1]!);
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 2, problem: "out_of_order" });
  });

  it("names an event inserted with a valid hash but renumbered neighbours as a broken link", () => {
    const events = chain(4);
    const forged = { seq: 3, action: "forged", actorId: "mallory", after: null };
    const forgedEvent = { ...forged, prevHash: events[1]!.hash, hash: hashEvent(events[1]!.hash, forged) };
    const renumbered = events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    const tampered = [...events.slice(0, 2), forgedEvent, ...renumbered];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, seq: 4, problem: "prev_hash_mismatch" });
  });

  it("names an event linked to the wrong predecessor", () => {
    const events = chain(3);
    const content = { seq: 3, action: "x", actorId: null, after: null };
    events[2] = { ...content, prevHash: "a".repeat(64), hash: hashEvent("a".repeat(64), content) };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3, problem: "prev_hash_mismatch" });
  });

  it("verifies a slice that starts after a known link", () => {
    const events = chain(6);
    expect(verifyChain(events.slice(3), { from: { seq: 3, hash: events[2]!.hash } })).toMatchObject({ ok: true, count: 3 });
    expect(verifyChain(events.slice(3), { from: { seq: 3, hash: "b".repeat(64) } })).toMatchObject({
      ok: false,
      seq: 4,
      problem: "prev_hash_mismatch",
    });
  });

  it("checks a checkpoint: the log may only have grown", () => {
    const events = chain(6);
    const checkpoint = { seq: 4, hash: events[3]!.hash };
    expect(verifyChain(events, { checkpoint })).toMatchObject({ ok: true });
    expect(verifyChain(events.slice(0, 3), { checkpoint })).toMatchObject({ ok: false, seq: 4, problem: "truncated" });
    const rewritten = chain(6).map((e) => ({ ...e }));
    expect(verifyChain(rewritten, { checkpoint: { seq: 4, hash: "c".repeat(64) } })).toMatchObject({
      ok: false,
      seq: 4,
      problem: "checkpoint_mismatch",
    });
  });

  it("hashes only the content a caller chooses, when told how", () => {
    const content = { seq: 1, action: "a" };
    const event = { ...content, prevHash: GENESIS_HASH, hash: hashEvent(GENESIS_HASH, content), displayOnly: "not hashed" };
    expect(verifyChain([event])).toMatchObject({ ok: false, problem: "hash_mismatch" });
    expect(verifyChain([event], { contentOf: (e) => ({ seq: e.seq, action: e.action }) })).toMatchObject({ ok: true });
  });

  it("reads a stream once", () => {
    function* stream() {
      yield* chain(3);
    }
    expect(verifyChain(stream())).toMatchObject({ ok: true, count: 3 });
  });
});
