// The lines of an exported file as byte ranges, read in 1 MiB chunks (flat memory) and never
// decoded unless a reader needs the text. A line feed byte never occurs inside a UTF-8
// character, so splitting on it is exact. Not 'server-only': audit:verify runs it.
import { closeSync, openSync, readSync } from "node:fs";

/** A line's bytes; `tooLong` (its length in bytes) instead when it exceeds the cap, its bytes skipped unread. */
export type LineRange = { bytes: Buffer; start: number; end: number; tooLong?: number };

/** The longest line a verifier holds in memory (docs/audit-format.md): far above any event the portal writes. */
export const MAX_LINE_BYTES = 16 << 20;

const CHUNK = 1 << 20;

/**
 * Each line's bytes, without its line feed; `onChunk` sees every byte of the file once, in order.
 * A line longer than `maxLineBytes` is skipped to its end without being kept, so memory stays
 * within the cap and a chunk whatever the file holds.
 */
export function* lineRangesOf(path: string, onChunk?: (chunk: Buffer) => void, maxLineBytes = MAX_LINE_BYTES): Generator<LineRange> {
  const fd = openSync(path, "r");
  let buffer = Buffer.alloc(CHUNK);
  let kept = 0; // bytes of an unfinished line carried at the front of the buffer
  let skipping = 0; // > 0: inside an overlong line, this many bytes of it seen so far
  try {
    for (;;) {
      if (kept === buffer.length) {
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxLineBytes + CHUNK));
        buffer.copy(bigger, 0, 0, kept);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      if (read === 0) break;
      onChunk?.(buffer.subarray(kept, kept + read));
      const filled = buffer.subarray(0, kept + read);
      let start = 0;
      if (skipping > 0) {
        const lf = filled.indexOf(10);
        if (lf === -1) {
          skipping += filled.length;
          kept = 0;
          continue;
        }
        yield { bytes: buffer, start: 0, end: 0, tooLong: skipping + lf };
        skipping = 0;
        start = lf + 1;
      }
      for (let lf = filled.indexOf(10, start); lf !== -1; lf = filled.indexOf(10, start)) {
        if (lf - start > maxLineBytes) yield { bytes: buffer, start, end: start, tooLong: lf - start };
        else yield { bytes: buffer, start, end: lf };
        start = lf + 1;
      }
      kept = filled.length - start;
      if (kept > maxLineBytes) {
        skipping = kept;
        kept = 0;
        continue;
      }
      buffer.copy(buffer, 0, start, filled.length);
    }
    if (skipping > 0) yield { bytes: buffer, start: 0, end: 0, tooLong: skipping };
    else if (kept > 0) yield { bytes: buffer, start: 0, end: kept };
  } finally {
    closeSync(fd);
  }
}

/** True for a line of nothing but white space (JSON's four characters), which files may end with. */
export function isBlank({ bytes, start, end, tooLong }: LineRange): boolean {
  if (tooLong !== undefined) return false;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false;
  }
  return true;
}
