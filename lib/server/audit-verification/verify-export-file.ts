// The offline verifier: one pass over an exported file (flat memory, lines capped) that
// recomputes the chain of a JSON Lines export, hashes the bytes and counts the rows, then judges
// them against the manifest, a checkpoint the auditor kept and the keys they trust.
// Not 'server-only': audit:verify runs it.
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { GENESIS_HASH, verifyChain, type ChainVerification } from "../../domain/audit-chain";
import { readAuditLine, type AuditLine } from "../../domain/audit-jsonl";
import { csvRecordCounter } from "../../domain/csv";
import type { ExportManifest } from "../../domain/export-manifest";
import { keyRotationSchema, ROTATION_ACTION } from "../../domain/key-history";
import { judgeAuditExport, type ExportVerdict, type FileFacts, type Trust } from "../../domain/judge-audit-export";
import { isBlank, lineRangesOf, MAX_LINE_BYTES } from "./export-file-lines";

export type VerifyExportOptions = Trust & { maxLineBytes?: number };

function* chunksOf(path: string): Generator<Buffer> {
  const fd = openSync(path, "r");
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

export function verifyExportFile(path: string, options: VerifyExportOptions = {}): ExportVerdict {
  const { manifest } = options;
  const isEventLines = !manifest || (manifest.kind === "audit_events" && manifest.fileFormat === "jsonl");
  return judgeAuditExport(isEventLines ? readEventLines(path, options) : readOtherFile(path, manifest), options);
}

/** A CSV (or a JSON Lines file of changes): only its bytes and rows can be checked. */
function readOtherFile(path: string, manifest: ExportManifest): FileFacts {
  const sha = createHash("sha256");
  const decoder = new TextDecoder();
  const counter = csvRecordCounter();
  let lines = 0;
  let lastByte = 10;
  for (const chunk of chunksOf(path)) {
    sha.update(chunk);
    if (manifest.fileFormat === "csv") counter.feed(decoder.decode(chunk, { stream: true }));
    else for (const byte of chunk) if (byte === 10) lines++;
    if (chunk.length) lastByte = chunk[chunk.length - 1]!;
  }
  // CSV: one header record; JSON Lines: a last line without its line feed still counts.
  const rows = manifest.fileFormat === "csv" ? Math.max(counter.records - 1, 0) : lines + (lastByte === 10 ? 0 : 1);
  return { chain: null, hashes: new Map(), firstSeq: null, gaps: 0, sha256: sha.digest("hex"), rows };
}

function readEventLines(path: string, options: VerifyExportOptions): FileFacts {
  const sha = createHash("sha256");
  const watch = new Set(
    [
      options.manifest?.checkpoint.seq,
      options.manifest?.chainHead.seq,
      options.kept?.seq,
      ...(options.witnessed ?? []).map((w) => w.seq),
    ].filter((s): s is number => s !== undefined),
  );
  const hashes = new Map<number, string>();
  // Gaps are expected only where the signed manifest says the export was filtered (or the auditor says so).
  const allowGaps = Boolean(options.manifest && Object.keys(options.manifest.filters).length > 0) || Boolean(options.acceptFiltered);
  let rows = 0;
  let gaps = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let unreadable: FileFacts["unreadable"] = null;
  const rotations: NonNullable<FileFacts["rotations"]> = [];

  // Every line is read (hashed as it stands, or parsed) while the chain is walked; after a break
  // the rest is still read for the file's SHA-256 and its row count.
  function* events(): Generator<AuditLine> {
    let previousSeq: number | null = null;
    for (const range of lineRangesOf(path, (chunk) => sha.update(chunk), options.maxLineBytes ?? MAX_LINE_BYTES)) {
      if (isBlank(range)) continue;
      rows++;
      if (unreadable) continue;
      if (range.tooLong !== undefined) {
        unreadable = {
          line: rows,
          afterSeq: previousSeq ?? 0,
          message: `it is ${range.tooLong} bytes long, more than the ${options.maxLineBytes ?? MAX_LINE_BYTES} a line may have`,
          problem: "line_too_long",
        };
        continue;
      }
      try {
        const event = readAuditLine(range.bytes, range.start, range.end, rows);
        if (watch.has(event.seq)) hashes.set(event.seq, event.hash);
        if (range.bytes.subarray(range.start, range.end).includes(ROTATION_MARKER))
          readRotation(range.bytes.toString("utf8", range.start, range.end), rotations);
        if (previousSeq !== null && event.seq > previousSeq + 1) gaps++;
        previousSeq = event.seq;
        firstSeq ??= event.seq;
        lastSeq = event.seq;
        yield event;
      } catch (error) {
        unreadable = { line: rows, afterSeq: previousSeq ?? 0, message: (error as Error).message };
      }
    }
  }

  const stream = events();
  const first = stream.next();
  let chain: ChainVerification;
  if (first.done) chain = { ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } };
  else {
    // Strict: the chain starts at genesis. A slice (asked for) links to whatever its first event names.
    const from = options.allowSlice && first.value.seq > 1 ? { seq: first.value.seq - 1, hash: first.value.prevHash } : undefined;
    let pending: IteratorResult<AuditLine> | null = first;
    // No return(): when the walk stops at a broken link the stream stays open, to be read to the end below.
    const walk: Iterable<AuditLine> = {
      [Symbol.iterator]: () => ({
        next: () => {
          const next = pending ?? stream.next();
          pending = null;
          return next;
        },
      }),
    };
    chain = verifyChain(walk, { hashOf: (line) => line.recomputed, from, allowGaps });
  }
  // Whatever the walk left unread still counts for the file's SHA-256 and its row count.
  for (let next = stream.next(); !next.done; next = stream.next());
  return { chain, hashes, firstSeq, lastSeq, gaps, sha256: sha.digest("hex"), rows, unreadable, rotations };
}

// In canonical order `action` is an event's first member, so a rotation's line holds this.
const ROTATION_MARKER = Buffer.from(`"action":"${ROTATION_ACTION}"`);

/** A key rotation event: its seq and prevHash with the details in its `after`; other lines that merely mention the action are left alone. */
function readRotation(line: string, into: NonNullable<FileFacts["rotations"]>) {
  const event = JSON.parse(line) as { action?: unknown; seq: number; prevHash: unknown; after: unknown };
  if (event.action !== ROTATION_ACTION) return;
  const parsed = keyRotationSchema.safeParse({
    seq: event.seq,
    prevHash: event.prevHash,
    ...(typeof event.after === "object" ? event.after : {}),
  });
  into.push(
    parsed.success
      ? { seq: event.seq, rotation: parsed.data }
      : { seq: event.seq, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
  );
}
