import { createHash } from "node:crypto";
import { hashCanonical, type ChainLink } from "./audit-chain";
import { hashedContentJson, type AuditEventRecord } from "./audit-event";
import { jsonString } from "./canonical-json";

// An exported event line: `{"hash":H,"prevHash":P,` followed by the members of the event's
// hashed content exactly as they were hashed (canonical JSON without its opening brace). The
// line is an ordinary JSON object with the event's fields, and the bytes SHA-256 covers,
// P + "{" + the rest of the line, are in it verbatim: a verifier needs no JSON serializer.
const HEAD = '{"hash":"';
const MIDDLE = '","prevHash":"';
const TAIL = '",';
const HASH_AT = HEAD.length; // 9
const PREV_AT = HASH_AT + 64 + MIDDLE.length; // 87
const CONTENT_AT = PREV_AT + 64 + TAIL.length; // 153
const SEQ_KEY = ',"seq":';

/** One audit event as a JSON Lines record, as exports write it (lib/server/exports/export-lines.ts). */
export function auditJsonLine(event: AuditEventRecord): string {
  return `{"hash":${jsonString(event.hash)},"prevHash":${jsonString(event.prevHash)},${hashedContentJson(event).slice(1)}`;
}

const FIELDS = [
  "seq",
  "occurredAt",
  "actorId",
  "actorEmail",
  "action",
  "entityType",
  "entityId",
  "changeId",
  "before",
  "after",
  "reason",
  "clientAddress",
  "prevHash",
  "hash",
] as const;

/** Reads one exported line back; a line that is not an audit event says so, with its line number. */
export function parseAuditJsonLine(line: string, lineNumber: number): AuditEventRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`Line ${lineNumber} is not valid JSON.`);
  }
  const record = value as Record<string, unknown>;
  const missing = FIELDS.filter((f) => !(f in (record ?? {})));
  if (typeof record !== "object" || record === null || missing.length > 0)
    throw new Error(`Line ${lineNumber} is not an audit event (missing ${missing.join(", ")}).`);
  if (!Number.isSafeInteger(record.seq)) throw new Error(`Line ${lineNumber} has no valid sequence number.`);
  return record as unknown as AuditEventRecord;
}

/** An exported event as the chain verifier walks it: its link, and its hash recomputed from what the line holds. */
export type AuditLine = ChainLink & { recomputed: string };

const scratch = { buffer: Buffer.alloc(4096) };

/**
 * Reads the line in bytes [start, end) of `bytes` and recomputes its hash. A line in the layout
 * above is hashed as it stands; any other line (an older export, one another tool rewrote,
 * one whose bytes no longer hash) is parsed and its content serialized again, so the verdict
 * depends on what the line says, not on how it is written. Throws when a line is not an event.
 */
export function readAuditLine(bytes: Buffer, start: number, end: number, lineNumber: number): AuditLine {
  const kept = keptBytes(bytes, start, end);
  if (kept) {
    const hash = bytes.toString("latin1", start + HASH_AT, start + HASH_AT + 64);
    const recomputed = createHash("sha256").update(kept).digest("hex");
    const seq = recomputed === hash ? trailingSeq(bytes, start, end) : null;
    if (seq !== null) return { seq, prevHash: bytes.toString("latin1", start + PREV_AT, start + PREV_AT + 64), hash, recomputed };
  }
  const event = parseAuditJsonLine(bytes.toString("utf8", start, end), lineNumber);
  return {
    seq: event.seq,
    prevHash: event.prevHash,
    hash: event.hash,
    recomputed: hashCanonical(event.prevHash, hashedContentJson(event)),
  };
}

/** prevHash + "{" + the members, copied into one buffer; null when the line is not in the layout. */
function keptBytes(bytes: Buffer, start: number, end: number): Buffer | null {
  if (
    end - start < CONTENT_AT + 2 ||
    !matches(bytes, start, HEAD) ||
    !matches(bytes, start + HASH_AT + 64, MIDDLE) ||
    !matches(bytes, start + PREV_AT + 64, TAIL)
  )
    return null;
  const size = 64 + 1 + (end - start - CONTENT_AT);
  if (scratch.buffer.length < size) scratch.buffer = Buffer.alloc(Math.max(size, 2 * scratch.buffer.length));
  const out = scratch.buffer;
  bytes.copy(out, 0, start + PREV_AT, start + PREV_AT + 64);
  out[64] = 0x7b; // {
  bytes.copy(out, 65, start + CONTENT_AT, end);
  return out.subarray(0, size);
}

function matches(bytes: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The seq of hashed content, which canonical order puts last: `,"seq":N}`. */
function trailingSeq(bytes: Buffer, start: number, end: number): number | null {
  if (bytes[end - 1] !== 0x7d) return null;
  let i = end - 2;
  let seq = 0;
  let scale = 1;
  while (i > start && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) {
    seq += (bytes[i]! - 0x30) * scale;
    scale *= 10;
    i--;
  }
  if (i === end - 2 || !matches(bytes, i - SEQ_KEY.length + 1, SEQ_KEY)) return null;
  return Number.isSafeInteger(seq) ? seq : null;
}
