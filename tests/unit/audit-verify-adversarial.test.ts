import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chainEvent } from "@/lib/domain/audit-chain";
import { keyIdOf, publicKeyPemOf, signCheckpoint } from "@/lib/domain/audit-checkpoint";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { signManifest, unsignedManifestOf, type ExportManifest } from "@/lib/domain/export-manifest";
import { signRotation } from "@/lib/domain/key-history";
import { auditVerifyCommand } from "@/lib/server/audit-verification/audit-verify-command";
import { lineRangesOf } from "@/lib/server/audit-verification/export-file-lines";
import {
  checkpointAt,
  fileOf,
  keyHistoryOf,
  makeEvents,
  makeExport,
  manifestFor,
  newKey,
  sha256,
  type ExportFixture,
} from "../support/audit-export-fixture";

// The offline verifier as an attacker meets it: a genuine whole-log export of 200 events, its
// signed manifest, a checkpoint the auditor kept at event 50 and the key they trust; then every
// single-point change of the file or the manifest. Each must end BROKEN, exit 1, naming the problem.

let dir: string;
let fx: ExportFixture;
let n = 0;
const put = (name: string, content: string | Buffer) => {
  const file = path.join(dir, `${n++}-${name}`);
  writeFileSync(file, content);
  return file;
};
const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

type Case = { file?: string | Buffer; manifest?: ExportManifest | string; kept?: string | null; keys?: string[]; extra?: string[] };
function verify(c: Case = {}) {
  const args = [put("export.jsonl", c.file ?? fx.content)];
  if (c.manifest !== undefined || !("manifest" in c))
    args.push("--manifest", put("manifest.json", typeof c.manifest === "string" ? c.manifest : json(c.manifest ?? fx.manifest)));
  const kept = c.kept === undefined ? json(fx.kept[0]) : c.kept;
  if (kept !== null) args.push("--checkpoint", kept.includes(":") && !kept.startsWith("{") ? kept : put("kept.json", kept));
  for (const key of c.keys ?? [fx.publicKeyPem]) args.push("--public-key", put("key.pem", key));
  return auditVerifyCommand([...args, ...(c.extra ?? [])]);
}
const lastLine = (r: { stderr: string[] }) => r.stderr.at(-1) ?? "";

/** Events from `from` on, re-chained after a change so every hash and link is right again. */
function rechain(events: AuditEventRecord[], from: number, change: (e: AuditEventRecord) => AuditEventRecord): AuditEventRecord[] {
  const out = events.slice(0, from - 1);
  for (const event of events.slice(from - 1)) {
    const changed = change(event);
    const prevHash = out.at(-1)?.hash ?? "0".repeat(64);
    const content = hashedContent(changed);
    out.push({ ...(content as Omit<AuditEventRecord, "prevHash" | "hash">), prevHash, hash: chainEvent(prevHash, content).hash });
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "audit-adversarial-"));
  fx = makeExport(200);
});

describe("an untouched export", () => {
  it("is VERIFIED (exit 0) with its manifest, the key and a kept checkpoint, and says what that proves", () => {
    const r = verify();
    expect(r.exitCode, r.stderr.join("\n")).toBe(0);
    expect(r.stdout.at(-1)).toBe("VERIFIED");
    expect(r.stdout.join("\n")).toMatch(/Nothing is missing: the file holds every event from 1 to the chain head the portal signed/);
    expect(r.stdout.join("\n")).toMatch(/extends your kept checkpoint/);
  });

  it("is UNVERIFIED (no trusted key), exit 2, without --public-key, even when everything agrees", () => {
    const r = verify({ keys: [] });
    expect(r.exitCode).toBe(2);
    expect(lastLine(r)).toBe("UNVERIFIED (no trusted key)");
  });

  it("is UNVERIFIED, exit 2, as a file alone: nothing signed vouches for it", () => {
    const r = verify({ manifest: undefined, kept: null } as Case);
    expect(r.exitCode).toBe(2);
    expect(lastLine(r)).toMatch(
      /^UNVERIFIED: That events 1 to 200 are the portal's: no signature you trust covers them: pass the export's manifest/,
    );
  });

  it("is UNVERIFIED, exit 2, as a filtered export unless --filtered, and then says what it cannot prove", () => {
    const odd = fx.lines.filter((_, i) => i % 2 === 0);
    const content = fileOf(odd);
    const manifest = manifestFor(content, odd.length, fx.manifest.checkpoint, fx.privateKey, { filters: { action: "x" } });
    const strict = verify({ file: content, manifest, kept: null });
    expect(strict.exitCode).toBe(2);
    expect(lastLine(strict)).toMatch(/filtered export \(action=x\).*Pass --filtered/);
    const accepted = verify({ file: content, manifest, kept: null, extra: ["--filtered"] });
    expect(accepted.exitCode, accepted.stderr.join("\n")).toBe(0);
    expect(accepted.stdout.at(-1)).toBe("VERIFIED (filtered export: see Not proven)");
    expect(accepted.stdout.join("\n")).toMatch(/Not proven:\n {2}- That every event matching the filters is in the file/);
  });

  it("verifies a slice only with --allow-slice, and only up to a checkpoint you trust", () => {
    const slice = fileOf(fx.lines.slice(100, 150)); // events 101 to 150; the kept checkpoint at 150 vouches for them
    const kept150 = json(fx.kept[1]);
    expect(verify({ file: slice, manifest: undefined, kept: kept150 } as Case)).toMatchObject({ exitCode: 1 });
    const r = verify({ file: slice, manifest: undefined, kept: kept150, extra: ["--allow-slice"] } as Case);
    expect(r.exitCode, r.stderr.join("\n")).toBe(0);
    expect(r.stdout.join("\n")).toMatch(
      /events 101 to 150 are part of the audit log[\s\S]*Not proven:\n {2}- events 1 to 100: they are not in this slice/,
    );
    const longer = verify({ file: fileOf(fx.lines.slice(100, 160)), manifest: undefined, kept: kept150, extra: ["--allow-slice"] } as Case);
    expect(longer.exitCode).toBe(2);
    expect(lastLine(longer)).toMatch(/events 151 to 160 are the portal's: no signature you trust covers them/);
  });
});

describe("every single-point change ends BROKEN, exit 1, naming the problem", () => {
  const fileCases: [string, () => Case, RegExp][] = [
    [
      "one byte of an event edited",
      () => ({ file: fx.content.replace('"entityId":"100"', '"entityId":"10O"') }),
      /BROKEN at event 100 \(hash_mismatch\)/,
    ],
    [
      "the first event deleted",
      () => ({ file: fileOf(fx.lines.slice(1)) }),
      /BROKEN at event 2 \(sequence_gap\): .*Events 1 to 1 are missing/,
    ],
    ["a middle event deleted", () => ({ file: fileOf(fx.lines.filter((_, i) => i !== 99)) }), /BROKEN at event 101 \(sequence_gap\)/],
    ["the last event deleted", () => ({ file: fileOf(fx.lines.slice(0, -1)) }), /BROKEN at event 200 \(truncated\)/],
    [
      "two events swapped",
      () => ({ file: fileOf(fx.lines.map((l, i, a) => (i === 99 ? a[100]! : i === 100 ? a[99]! : l))) }),
      /BROKEN at event 101 \(sequence_gap\)/,
    ],
    [
      "an event duplicated",
      () => ({ file: fileOf(fx.lines.flatMap((l, i) => (i === 99 ? [l, l] : [l]))) }),
      /BROKEN at event 100 \(out_of_order\)/,
    ],
    [
      "a forged event inserted and the rest re-chained",
      () => {
        const forged = rechain(
          [...fx.events.slice(0, 100), { ...fx.events[99]!, action: "forged" }, ...fx.events.slice(100)],
          101,
          (e) => e,
        ).map((e, i) => ({ ...e, seq: i + 1 }));
        return { file: fileOf(rechain(forged, 101, (e) => e).map(auditJsonLine)) };
      },
      /BROKEN at event \d+ \((checkpoint_mismatch|sha256_mismatch|beyond_chain_head)\)/,
    ],
    ["the last line cut short", () => ({ file: fx.content.slice(0, -40) }), /BROKEN at event 200 \(unreadable_line\)/],
    [
      "the first 100 events cut off (the kept checkpoint at 50 among them)",
      () => ({ file: fileOf(fx.lines.slice(100)), kept: `50:${fx.events[49]!.hash}` }),
      /BROKEN at event 50 \(kept_event_missing\)|BROKEN at event 101 \(sequence_gap\)/,
    ],
    [
      "a 64 MiB line",
      () => ({
        file: Buffer.concat([
          Buffer.from(fileOf(fx.lines.slice(0, 10))),
          Buffer.alloc(64 << 20, 0x61),
          Buffer.from("\n" + fileOf(fx.lines.slice(10))),
        ]),
      }),
      /BROKEN at event 11 \(line_too_long\): Line 11, after event 10, cannot be read: it is 67108864 bytes long/,
    ],
    [
      "history rewritten from event 120 and the manifest's digest fixed up",
      () => {
        const content = fileOf(rechain(fx.events, 120, (e) => (e.seq === 120 ? { ...e, reason: "nothing to see" } : e)).map(auditJsonLine));
        return { file: content, manifest: { ...fx.manifest, sha256: sha256(content) } };
      },
      /BROKEN at event 200 \(checkpoint_mismatch\)|BROKEN \(manifest_signature\)/,
    ],
  ];
  it.each(fileCases)("%s", (_what, make, message) => {
    const r = verify(make());
    expect(r.exitCode, r.stdout.concat(r.stderr).join("\n")).toBe(1);
    expect(lastLine(r)).toMatch(message);
  });

  it("the first 100 events cut off: the repro from issue 28 fails with the kept checkpoint, and the file alone cannot verify", () => {
    const cut = fileOf(fx.lines.slice(100));
    const withKept = verify({ file: cut, manifest: undefined, kept: `50:${fx.events[49]!.hash}` } as Case);
    expect(withKept.exitCode).toBe(1);
    expect(withKept.stdout.join("\n")).toMatch(/FAIL Chain broken at event 101: Events 1 to 100 are missing/);
    expect(withKept.stdout.join("\n")).toMatch(/FAIL Your kept checkpoint's event 50 is not in the file/);
    expect(verify({ file: cut, manifest: undefined, kept: null } as Case).exitCode).toBe(1);
  });

  const attacker = newKey();
  const manifestCases: [string, () => Case, RegExp][] = [
    [
      "filters invented to explain deleted events",
      () => ({
        file: fileOf(fx.lines.filter((_, i) => i < 60 || i >= 70)),
        manifest: { ...fx.manifest, filters: { action: "vote.cast" } },
      }),
      /BROKEN \(manifest_signature\)/,
    ],
    ["sha256 altered", () => ({ manifest: { ...fx.manifest, sha256: sha256("other") } }), /BROKEN \(manifest_signature\)/],
    ["rowCount altered", () => ({ manifest: { ...fx.manifest, rowCount: 199 } }), /BROKEN \(manifest_signature\)/],
    ["kind altered (a CSV's checks only)", () => ({ manifest: { ...fx.manifest, kind: "changes" } }), /BROKEN \(manifest_signature\)/],
    [
      "chain head moved back with the file cut to it",
      () => ({
        file: fileOf(fx.lines.slice(0, 150)),
        manifest: {
          ...fx.manifest,
          chainHead: { seq: 150, hash: fx.events[149]!.hash },
          rowCount: 150,
          sha256: sha256(fileOf(fx.lines.slice(0, 150))),
        },
      }),
      /BROKEN \(manifest_signature\)/,
    ],
    ["an older checkpoint replayed", () => ({ manifest: { ...fx.manifest, checkpoint: fx.kept[1]! } }), /BROKEN \(manifest_signature\)/],
    [
      "a checkpoint signed by another key",
      () => ({ manifest: { ...fx.manifest, checkpoint: checkpointAt(fx.events, 200, attacker) } }),
      /BROKEN \(manifest_signature\)/,
    ],
    [
      "(signed by the portal, as if its key had leaked into a forger's hands) a checkpoint of another key",
      () => {
        return {
          manifest: signManifest({ ...unsignedManifestOf(fx.manifest), checkpoint: checkpointAt(fx.events, 200, attacker) }, fx.privateKey),
        };
      },
      /BROKEN \(manifest_key\): The manifest is signed by key [0-9a-f]{16}, not by the key that signed its checkpoint/,
    ],
    [
      "(signed by the portal) an older checkpoint in a newer manifest",
      () => {
        return { manifest: signManifest({ ...unsignedManifestOf(fx.manifest), checkpoint: fx.kept[1]! }, fx.privateKey) };
      },
      /BROKEN at event 151 \(stale_checkpoint\)/,
    ],
    [
      "the whole manifest re-signed by another key",
      () => {
        return {
          manifest: signManifest({ ...unsignedManifestOf(fx.manifest), checkpoint: checkpointAt(fx.events, 200, attacker) }, attacker),
        };
      },
      /BROKEN \(manifest_key\): The manifest is signed by key [0-9a-f]{16}, which is not a key you trust/,
    ],
    [
      "the signature removed",
      () => ({ manifest: json({ ...fx.manifest, signature: undefined }) }),
      /BROKEN \(manifest_invalid\): .*signature/,
    ],
    ["a field added", () => ({ manifest: json({ ...fx.manifest, verified: true }) }), /BROKEN \(manifest_invalid\)/],
    ["the manifest not JSON", () => ({ manifest: json(fx.manifest).slice(0, 100) }), /BROKEN \(manifest_invalid\)/],
    [
      "the signature's base64 padded with a stray character",
      () => ({ manifest: { ...fx.manifest, signature: fx.manifest.signature + "!" } }),
      /BROKEN \(manifest_invalid\)/,
    ],
  ];
  it.each(manifestCases)("manifest: %s", (_what, make, message) => {
    const r = verify(make());
    expect(r.exitCode, r.stdout.concat(r.stderr).join("\n")).toBe(1);
    expect(lastLine(r)).toMatch(message);
  });

  it("an older genuine export with its genuine manifest, shown to an auditor who kept a newer checkpoint", () => {
    const old = fileOf(fx.lines.slice(0, 120));
    const manifest = manifestFor(old, 120, checkpointAt(fx.events, 120, fx.privateKey), fx.privateKey);
    expect(verify({ file: old, manifest, kept: null }).exitCode).toBe(0);
    const r = verify({ file: old, manifest, kept: json(fx.kept[1]) });
    expect(r.exitCode).toBe(1);
    expect(lastLine(r)).toMatch(/BROKEN at event 121 \(stale_checkpoint\)/);
  });

  it("a kept checkpoint signed by another key, or altered", () => {
    expect(lastLine(verify({ kept: json(checkpointAt(fx.events, 50, attacker)) }))).toMatch(
      /BROKEN at event 50 \(checkpoint_unknown_key\)/,
    );
    expect(lastLine(verify({ kept: json({ ...fx.kept[0]!, seq: 51, hash: fx.events[50]!.hash }) }))).toMatch(
      /BROKEN at event 51 \(checkpoint_signature\)/,
    );
  });

  it("the trusted key is not the one that signed: BROKEN, not UNVERIFIED", () => {
    const r = verify({ keys: [publicKeyPemOf(attacker)] });
    expect(r.exitCode).toBe(1);
    expect(lastLine(r)).toMatch(/BROKEN at event 50 \(checkpoint_unknown_key\)|BROKEN \(manifest_key\)/);
  });

  it("reads a 64 MiB line without holding more than the cap", () => {
    const file = put("long.jsonl", Buffer.concat([Buffer.alloc(64 << 20, 0x61), Buffer.from("\n{}\n")]));
    let largest = 0;
    const seen: (number | undefined)[] = [];
    for (const range of lineRangesOf(file, undefined, 4 << 20)) {
      largest = Math.max(largest, range.bytes.length);
      seen.push(range.tooLong ?? range.end - range.start);
    }
    expect(seen).toEqual([64 << 20, 2]);
    expect(largest).toBeLessThanOrEqual((4 << 20) + (1 << 20));
  });

  it("signs checkpoints that verify as before (the format did not move)", () => {
    const cp = signCheckpoint({ seq: 1, hash: fx.events[0]!.hash, createdAt: "2026-12-01T09:00:01.500Z" }, fx.privateKey);
    expect(cp).toEqual(checkpointAt(fx.events, 1, fx.privateKey));
  });
});

describe("a history signed by three keys (rotations at events 50 and 120)", () => {
  const [k0, k1, k2, evil] = [newKey(), newKey(), newKey(), newKey()] as [string, string, string, string];
  let events: AuditEventRecord[];
  let content: string;
  let manifest: ExportManifest;
  const pem = (k: string) => publicKeyPemOf(k);
  /** Event 120 made a rotation from k1 to the attacker's key, signed by the attacker (who lacks k1), the rest re-chained. */
  const forgedRotation = () =>
    rechain(events, 120, (e) =>
      e.seq !== 120
        ? e
        : {
            ...e,
            after: {
              ...signRotation({ seq: 120, prevHash: e.prevHash }, evil, pem(evil)),
              previousKeyId: keyIdOf(pem(k1)),
              previousPublicKeyPem: pem(k1),
            },
          },
    );

  beforeAll(() => {
    events = makeEvents(
      200,
      new Map([
        [50, [k0, k1]],
        [120, [k1, k2]],
      ]),
    );
    content = fileOf(events.map(auditJsonLine));
    manifest = manifestFor(content, 200, checkpointAt(events, 200, k2), k2, { keyHistory: keyHistoryOf(events) });
  });

  it.each([
    ["the oldest key", 0],
    ["the middle key", 1],
    ["the newest key", 2],
  ])("verifies given only %s, and checkpoints kept under each key", (_what, i) => {
    const trusted = pem([k0, k1, k2][i]!);
    for (const [seq, key] of [
      [30, k0],
      [50, k0],
      [50, k1],
      [100, k1],
      [150, k2],
    ] as const) {
      const r = verify({ file: content, manifest, kept: json(checkpointAt(events, seq, key)), keys: [trusted] });
      expect(r.exitCode, `${seq}: ${r.stdout.concat(r.stderr).join("\n")}`).toBe(0);
    }
  });

  it.each<[string, () => Case, RegExp]>([
    [
      "a checkpoint signed by a retired key after its retirement",
      () => ({ file: content, manifest, kept: json(checkpointAt(events, 60, k0)), keys: [pem(k0)] }),
      /BROKEN at event 60 \(checkpoint_unknown_key\): .*signs events 1 to 50 only, not event 60/,
    ],
    [
      "a manifest signed by a retired key (as if it had leaked)",
      () => ({
        file: content,
        manifest: manifestFor(content, 200, checkpointAt(events, 200, k0), k0, { keyHistory: keyHistoryOf(events) }),
        kept: null,
        keys: [pem(k0)],
      }),
      /BROKEN \(manifest_key\): .*signs events 1 to 50 only, not event 200/,
    ],
    [
      "a rotation dropped from the manifest's key history, re-signed by a leaked retired key",
      () => ({
        file: content,
        manifest: manifestFor(content, 200, checkpointAt(events, 200, k1), k1, { keyHistory: keyHistoryOf(events).slice(0, 1) }),
        kept: null,
        keys: [pem(k0)],
      }),
      /BROKEN at event 120 \(key_rotation\)/,
    ],
    [
      "a rotation to an attacker's key written over the real one, the chain re-linked and the manifest re-signed by the attacker",
      () => {
        const forged = forgedRotation();
        const forgedContent = fileOf(forged.map(auditJsonLine));
        return {
          file: forgedContent,
          manifest: manifestFor(forgedContent, 200, checkpointAt(forged, 200, evil), evil, { keyHistory: keyHistoryOf(forged) }),
          kept: null,
          keys: [pem(k0)],
        };
      },
      /BROKEN \(manifest_key\): The manifest is signed by key [0-9a-f]{16}, which is not a key you trust/,
    ],
    [
      "the attacker's key given as trusted beside the real one does not make their rotation count",
      () => {
        const forged = forgedRotation();
        const forgedContent = fileOf(forged.map(auditJsonLine));
        return {
          file: forgedContent,
          manifest: manifestFor(forgedContent, 200, checkpointAt(forged, 200, evil), evil, { keyHistory: keyHistoryOf(forged) }),
          kept: null,
          keys: [pem(k0), pem(evil)],
        };
      },
      /BROKEN at event 120 \(key_rotation\)/,
    ],
  ])("%s: BROKEN", (what, make, message) => {
    const r = verify(make());
    expect(r.exitCode, r.stdout.concat(r.stderr).join("\n")).toBe(1);
    expect(lastLine(r)).toMatch(message);
    if (what.includes("attacker"))
      expect(r.stdout.join("\n")).toMatch(/FAIL The key rotation at event 120 is not signed by the key it retires/);
  });
});
