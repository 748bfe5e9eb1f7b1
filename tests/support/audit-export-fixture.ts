// A genuine whole-log export made with the portal's own format functions and a fresh key: its
// JSON Lines, the checkpoints an auditor could have kept, and its signed manifest. The offline
// verifier's adversarial tests tamper with copies of it.
import { createHash, generateKeyPairSync } from "node:crypto";
import { chainEvent, GENESIS_HASH } from "@/lib/domain/audit-chain";
import { publicKeyPemOf, signCheckpoint, type SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { hashedContent, type AuditEventRecord } from "@/lib/domain/audit-event";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { ROTATION_ACTION, signRotation, type KeyRotation } from "@/lib/domain/key-history";
import { EXPORT_MANIFEST_FORMAT, signManifest, type ExportManifest, type UnsignedManifest } from "@/lib/domain/export-manifest";

export const newKey = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
export const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
export const fileOf = (lines: string[]) => lines.map((l) => l + "\n").join("");

const T0 = Date.parse("2026-12-01T09:00:00.000Z");

/**
 * n events on a valid chain, with the variety real ones have (nulls, nested JSON, escapes,
 * non-ASCII); `rotations` puts a key rotation (retiring key, next key) at the given events.
 */
export function makeEvents(n: number, rotations: ReadonlyMap<number, [string, string]> = new Map()): AuditEventRecord[] {
  const events: AuditEventRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const rotation = rotations.get(seq);
    const content = rotation
      ? hashedContent({
          seq,
          occurredAt: new Date(T0 + seq * 1000).toISOString(),
          actorId: null,
          actorEmail: null,
          action: ROTATION_ACTION,
          entityType: "audit_log",
          entityId: null,
          changeId: null,
          before: null,
          after: signRotation({ seq, prevHash }, rotation[0], publicKeyPemOf(rotation[1])),
          reason: null,
          clientAddress: null,
        })
      : hashedContent({
          seq,
          occurredAt: new Date(T0 + seq * 1000).toISOString(),
          actorId: seq % 5 === 0 ? null : `00000000-0000-4000-8000-${String(seq % 7).padStart(12, "0")}`,
          actorEmail: seq % 5 === 0 ? null : `user${seq % 7}@example.test`,
          action: ["change.submitted", "vote.cast", "auth.signed_in", "change.edited"][seq % 4]!,
          entityType: "change",
          entityId: String(seq),
          changeId: seq % 3 === 0 ? null : `10000000-0000-4000-8000-${String(seq % 11).padStart(12, "0")}`,
          before: seq % 2 ? { state: "draft", n: seq } : null,
          after: { state: "submitted", note: seq % 6 === 0 ? 'Zoë said "go"\n=SUM(A1)\u2028' : "ok", score: seq / 4, tags: ["pci", "sox"] },
          reason: seq % 4 === 1 ? `step ${seq}` : null,
          clientAddress: "10.0.0.1",
        });
    const { hash } = chainEvent(prevHash, content);
    events.push({ ...(content as Omit<AuditEventRecord, "prevHash" | "hash">), prevHash, hash });
    prevHash = hash;
  }
  return events;
}

export type ExportFixture = {
  privateKey: string;
  publicKeyPem: string;
  events: AuditEventRecord[];
  lines: string[];
  content: string;
  manifest: ExportManifest;
  /** Checkpoints an auditor kept: one at event 50, one at event 150 (when there are that many). */
  kept: SignedCheckpoint[];
};

export function checkpointAt(
  events: AuditEventRecord[],
  seq: number,
  key: string,
  createdAt = new Date(T0 + seq * 1000 + 500).toISOString(),
): SignedCheckpoint {
  return signCheckpoint({ seq, hash: events[seq - 1]!.hash, createdAt }, key);
}

export function manifestFor(
  content: string,
  rowCount: number,
  head: SignedCheckpoint,
  key: string,
  extra: Partial<UnsignedManifest> = {},
): ExportManifest {
  const unsigned: UnsignedManifest = {
    format: EXPORT_MANIFEST_FORMAT,
    exportId: "6f1c2a8e-0000-4000-8000-000000000001",
    kind: "audit_events",
    fileFormat: "jsonl",
    fileName: "audit-events.jsonl",
    filters: {},
    rowCount,
    sha256: sha256(content),
    chainHead: { seq: head.seq, hash: head.hash },
    checkpoint: head,
    keyHistory: [],
    exportedBy: { id: "00000000-0000-4000-8000-000000000007", email: "auditor@example.test" },
    startedAt: head.createdAt,
    completedAt: new Date(Date.parse(head.createdAt) + 250).toISOString(),
    ...extra,
  };
  return signManifest(unsigned, key);
}

export function makeExport(n = 200, privateKey = newKey()): ExportFixture {
  const events = makeEvents(n);
  const lines = events.map(auditJsonLine);
  const content = fileOf(lines);
  const head = checkpointAt(events, n, privateKey);
  return {
    privateKey,
    publicKeyPem: publicKeyPemOf(privateKey),
    events,
    lines,
    content,
    manifest: manifestFor(content, n, head, privateKey),
    kept: [50, 150].filter((s) => s <= n).map((s) => checkpointAt(events, s, privateKey)),
  };
}

/** The manifest's key history for events made with makeEvents' rotations. */
export function keyHistoryOf(events: AuditEventRecord[]): KeyRotation[] {
  return events
    .filter((e) => e.action === ROTATION_ACTION)
    .map((e) => ({ seq: e.seq, prevHash: e.prevHash, ...(e.after as Omit<KeyRotation, "seq" | "prevHash">) }));
}
