import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/domain/canonical-json";
import { parseExportManifest } from "@/lib/domain/export-manifest";
import { verifyExportFile } from "@/lib/server/audit-verification/verify-export-file";
import { publicKeyPemOf } from "@/lib/domain/audit-checkpoint";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
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

// No random change to a genuine export or its manifest verifies: not a changed, inserted or
// deleted byte, not a moved, repeated or lost line, not a cut, not a changed manifest field, and
// not a file change whose digest and row count were fixed up in the manifest. PROPERTY_RUNS sets
// the number of runs: `npm test` runs 100 (50 on a rotated history), `npm run audit:verify:property`
// runs 1,000 (and 500).

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

let dir: string;
let fx: ExportFixture;
let n = 0;

type FileMutation =
  | { kind: "flip"; at: number; xor: number }
  | { kind: "insertByte"; at: number; byte: number }
  | { kind: "deleteByte"; at: number }
  | { kind: "truncate"; at: number }
  | { kind: "deleteLine"; line: number }
  | { kind: "duplicateLine"; line: number; to: number }
  | { kind: "swapLines"; a: number; b: number }
  | { kind: "replaceLine"; line: number; by: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const fileMutation: fc.Arbitrary<FileMutation> = fc
  .oneof(
    fc.record({ kind: fc.constant("flip" as const), at: position, xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant("insertByte" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("deleteByte" as const), at: position }),
    fc.record({ kind: fc.constant("truncate" as const), at: position }),
    fc.record({ kind: fc.constant("deleteLine" as const), line: position }),
    fc.record({ kind: fc.constant("duplicateLine" as const), line: position, to: position }),
    fc.record({ kind: fc.constant("swapLines" as const), a: position, b: position }),
    fc.record({ kind: fc.constant("replaceLine" as const), line: position, by: position }),
  )
  .map((m) => m as FileMutation);

function mutateFile(content: Buffer, lines: string[], m: FileMutation): Buffer {
  const at = (p: number, size: number) => Math.floor(p * size);
  const joined = (l: string[]) => Buffer.from(l.map((x) => x + "\n").join(""));
  switch (m.kind) {
    case "flip": {
      const out = Buffer.from(content);
      out[at(m.at, out.length)]! ^= m.xor;
      return out;
    }
    case "insertByte": {
      const i = at(m.at, content.length + 1);
      return Buffer.concat([content.subarray(0, i), Buffer.from([m.byte]), content.subarray(i)]);
    }
    case "deleteByte": {
      const i = at(m.at, content.length);
      return Buffer.concat([content.subarray(0, i), content.subarray(i + 1)]);
    }
    case "truncate":
      return content.subarray(0, at(m.at, content.length));
    case "deleteLine":
      return joined(lines.filter((_, i) => i !== at(m.line, lines.length)));
    case "duplicateLine": {
      const l = [...lines];
      l.splice(at(m.to, l.length + 1), 0, lines[at(m.line, lines.length)]!);
      return joined(l);
    }
    case "swapLines": {
      const l = [...lines];
      const a = at(m.a, l.length);
      const b = at(m.b, l.length);
      [l[a], l[b]] = [l[b]!, l[a]!];
      return joined(l);
    }
    case "replaceLine": {
      const l = [...lines];
      l[at(m.line, l.length)] = lines[at(m.by, lines.length)]!;
      return joined(l);
    }
  }
}

// Any JSON value, from harmless-looking to hostile, for a manifest field.
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string(),
  fc.nat(),
  fc.constantFrom("", "0".repeat(64), "f".repeat(64), {}, [], null, 199, 201),
);
const PATHS = [
  ["format"],
  ["exportId"],
  ["kind"],
  ["fileFormat"],
  ["fileName"],
  ["filters"],
  ["filters", "action"],
  ["rowCount"],
  ["sha256"],
  ["chainHead"],
  ["chainHead", "seq"],
  ["chainHead", "hash"],
  ["checkpoint", "seq"],
  ["checkpoint", "hash"],
  ["checkpoint", "createdAt"],
  ["checkpoint", "keyId"],
  ["checkpoint", "signature"],
  ["keyHistory"],
  ["keyHistory", "0"],
  ["keyHistory", "1"],
  ["publicKeyPem"],
  ["exportedBy", "email"],
  ["startedAt"],
  ["completedAt"],
  ["keyId"],
  ["signature"],
];
type ManifestMutation = { path: string[]; value: unknown } | { path: string[]; remove: true };
const manifestMutation: fc.Arbitrary<ManifestMutation> = fc.oneof(
  fc.record({ path: fc.constantFrom(...PATHS), value: anyValue }),
  fc.record({ path: fc.constantFrom(...PATHS), remove: fc.constant(true as const) }),
);

function mutateManifest(manifest: unknown, m: ManifestMutation): unknown {
  const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  let target = copy;
  for (const key of m.path.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  const last = m.path.at(-1)!;
  if ("remove" in m && Array.isArray(target)) target.splice(Number(last), 1);
  else if ("remove" in m) delete target[last];
  else target[last] = m.value;
  // As a file would carry it: an array's holes read back as null.
  return JSON.parse(JSON.stringify(copy));
}

type Mutation = { file?: FileMutation; manifest?: ManifestMutation; fixUpDigest: boolean };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ file: fileMutation, fixUpDigest: fc.boolean() }),
  fc.record({ manifest: manifestMutation, fixUpDigest: fc.constant(false) }),
  fc.record({ file: fileMutation, manifest: manifestMutation, fixUpDigest: fc.boolean() }),
);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "audit-property-"));
  fx = makeExport(120);
});

/** A history signed by three keys (rotations at events 40 and 80), verified with the oldest key only. */
function rotatedExport(): ExportFixture & { trusted: string } {
  const keys = [newKey(), newKey(), newKey()] as const;
  const events = makeEvents(
    120,
    new Map([
      [40, [keys[0], keys[1]]],
      [80, [keys[1], keys[2]]],
    ]),
  );
  const lines = events.map(auditJsonLine);
  const content = fileOf(lines);
  return {
    privateKey: keys[2],
    publicKeyPem: publicKeyPemOf(keys[2]),
    events,
    lines,
    content,
    trusted: publicKeyPemOf(keys[0]),
    manifest: manifestFor(content, 120, checkpointAt(events, 120, keys[2]), keys[2], { keyHistory: keyHistoryOf(events) }),
    kept: [checkpointAt(events, 30, keys[0])],
  };
}

describe("the offline verifier under random tampering", () => {
  // The rotated history costs more a run (every rotation's signature is checked): half the runs.
  it.each([
    ["an export signed by one key", RUNS, false],
    ["an export whose key was rotated twice", Math.ceil(RUNS / 2), true],
  ] as const)(
    "verifies no mutated copy of %s (%i runs)",
    (_what, runs, rotated) => {
      const subject = rotated ? rotatedExport() : { ...fx, trusted: fx.publicKeyPem };
      const original = Buffer.from(subject.content);
      const originalManifest = canonicalJson(subject.manifest);
      writeFileSync(path.join(dir, "original.jsonl"), subject.content);
      expect(
        verifyExportFile(path.join(dir, "original.jsonl"), {
          manifest: subject.manifest,
          kept: subject.kept[0],
          trustedKeys: [subject.trusted],
        }).status,
      ).toBe("verified");
      fc.assert(
        fc.property(mutation, (m) => {
          const content = m.file ? mutateFile(original, subject.lines, m.file) : original;
          let manifest: unknown = m.manifest ? mutateManifest(subject.manifest, m.manifest) : subject.manifest;
          if (m.fixUpDigest)
            manifest = {
              ...(manifest as object),
              sha256: sha256(content),
              rowCount: content
                .toString("latin1")
                .split("\n")
                .filter((l) => l.trim()).length,
            };
          fc.pre(!content.equals(original) || canonicalJson(manifest) !== originalManifest);
          const file = path.join(dir, `${n++}.jsonl`);
          writeFileSync(file, content);
          const parsed = parseExportManifest(manifest);
          const verdict = verifyExportFile(file, {
            ...(parsed.ok ? { manifest: parsed.manifest } : { manifestError: parsed.message }),
            kept: subject.kept[0],
            trustedKeys: [subject.trusted],
          });
          expect(verdict.status, JSON.stringify({ m, broken: verdict.broken })).toBe("broken");
          expect(verdict.broken?.problem).toBeTruthy();
        }),
        { numRuns: runs, seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
      );
    },
    20_000 + RUNS * 300,
  );
});
