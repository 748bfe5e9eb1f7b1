import { describe, expect, it } from "vitest";
import { keyIdOf, publicKeyPemOf } from "@/lib/domain/audit-checkpoint";
import { keyAt, keyTimeline, rotationMessage, signRotation, verifyRotation, type KeyRotation } from "@/lib/domain/key-history";
import { newKey } from "../support/audit-export-fixture";

// The key history: each rotation signed by the key it retires, each key valid for its stretch of
// the chain, and trust extended forward from a trusted key, backward only when authenticated.

const [k0, k1, k2, evil] = [newKey(), newKey(), newKey(), newKey()] as [string, string, string, string];
const pub = (k: string) => publicKeyPemOf(k);
const id = (k: string) => keyIdOf(pub(k));
const rotation = (seq: number, from: string, to: string, signer = from): KeyRotation => {
  const details = signRotation({ seq, prevHash: String(seq % 10).repeat(64) }, signer, pub(to));
  return { seq, prevHash: String(seq % 10).repeat(64), ...details, previousKeyId: id(from), previousPublicKeyPem: pub(from) };
};
const history = [rotation(10, k0, k1), rotation(25, k1, k2)];

describe("the key timeline", () => {
  it("gives each key its stretch: from its rotation to the next, both included", () => {
    const timeline = keyTimeline(history);
    expect(timeline).toEqual({
      ok: true,
      periods: [
        { keyId: id(k0), publicKeyPem: pub(k0), from: 1, until: 10 },
        { keyId: id(k1), publicKeyPem: pub(k1), from: 10, until: 25 },
        { keyId: id(k2), publicKeyPem: pub(k2), from: 25, until: null },
      ],
    });
  });

  it("signs a message that binds the new key to the rotation's place in the chain", () => {
    const r = history[0]!;
    expect(rotationMessage(r)).toBe(
      `{"format":"portal-audit-key-rotation/1","keyId":"${id(k1)}","prevHash":"${"0".repeat(64)}","previousKeyId":"${id(k0)}","publicKeyPem":${JSON.stringify(pub(k1))},"seq":10}`,
    );
    expect(verifyRotation(r)).toBe(true);
    expect(verifyRotation({ ...r, seq: 11 })).toBe(false);
    expect(verifyRotation({ ...r, prevHash: "f".repeat(64) })).toBe(false);
  });

  it.each<[string, KeyRotation[], RegExp]>([
    ["a rotation signed by the new key instead of the old", [rotation(10, k0, evil, evil)], /event 10 is not signed by the key it retires/],
    [
      "a rotation to an attacker's key, signed by the attacker, after a real one",
      [history[0]!, rotation(25, k1, evil, evil)],
      /event 25 is not signed by the key it retires/,
    ],
    [
      "a rotation that retires a key not in use",
      [history[0]!, rotation(25, k0, k2)],
      /retires key [0-9a-f]{16}, but key [0-9a-f]{16} was in use/,
    ],
    ["a rotation back to a retired key", [history[0]!, rotation(25, k1, k0)], /brings back key/],
    ["rotations out of order", [history[1]!, history[0]!], /comes after one at event 25/],
    [
      "a rotation whose public key is not the key its id names",
      [{ ...history[0]!, publicKeyPem: pub(evil) }],
      /not signed by the key it retires/,
    ],
  ])("is broken by %s", (_what, rotations, message) => {
    const timeline = keyTimeline(rotations);
    expect(timeline.ok).toBe(false);
    expect(!timeline.ok && timeline.message).toMatch(message);
  });
});

describe("which key may sign at an event", () => {
  const timeline = keyTimeline(history);
  const periods = timeline.ok ? timeline.periods : [];
  const anchors = (...ks: string[]) => new Map(ks.map((k) => [id(k), pub(k)]));

  it("follows rotations forward from the oldest key trusted", () => {
    for (const [k, seq] of [
      [k0, 3],
      [k0, 10],
      [k1, 10],
      [k1, 20],
      [k2, 25],
      [k2, 1000],
    ] as const) {
      expect(keyAt(periods, anchors(k0), false, id(k), seq), `${seq}`).toEqual({ pem: pub(k) });
    }
  });

  it("trusts keys before the one given only when a trusted signature covers the history", () => {
    expect(keyAt(periods, anchors(k2), false, id(k0), 5)).toEqual({ reason: expect.stringMatching(/precedes the keys you trust/) });
    expect(keyAt(periods, anchors(k2), true, id(k0), 5)).toEqual({ pem: pub(k0) });
  });

  it("refuses a key outside its stretch, a key the history does not name, and a history without a trusted key", () => {
    expect(keyAt(periods, anchors(k0), true, id(k0), 11)).toEqual({ reason: `key ${id(k0)} signs events 1 to 10 only, not event 11` });
    expect(keyAt(periods, anchors(k1), true, id(k1), 9)).toMatchObject({ reason: expect.stringMatching(/signs events 10 to 25 only/) });
    expect(keyAt(periods, anchors(k0, evil), true, id(evil), 30)).toMatchObject({
      reason: expect.stringMatching(/is not in the key history/),
    });
    expect(keyAt(periods, anchors(evil), true, id(k2), 30)).toMatchObject({
      reason: expect.stringMatching(/none of the keys you trust is in the key history/),
    });
  });

  it("without rotations, trusts exactly the keys given", () => {
    expect(keyAt([], anchors(k0), false, id(k0), 5)).toEqual({ pem: pub(k0) });
    expect(keyAt([], anchors(k0), false, id(evil), 5)).toMatchObject({ reason: expect.stringMatching(/not a key you trust/) });
  });
});
