// The lines of an exported file as byte ranges, read in 1 MiB chunks (flat memory) and never
// decoded unless a reader needs the text. A line feed byte never occurs inside a UTF-8
// character, so splitting on it is exact. Not 'server-only': audit:verify runs it.
import { closeSync, openSync, readSync } from "node:fs";

export type LineRange = { bytes: Buffer; start: number; end: number };

/** Each line's bytes, without its line feed; `onChunk` sees every byte of the file once, in order. */
export function* lineRangesOf(path: string, onChunk?: (chunk: Buffer) => void): Generator<LineRange> {
  const fd = openSync(path, "r");
  let buffer = Buffer.alloc(1 << 20);
  let kept = 0; // bytes of an unfinished line carried at the front of the buffer
  try {
    for (;;) {
      if (kept === buffer.length) {
        const bigger = Buffer.alloc(buffer.length * 2);
        buffer.copy(bigger, 0, 0, kept);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      if (read === 0) break;
      onChunk?.(buffer.subarray(kept, kept + read));
      const filled = buffer.subarray(0, kept + read);
      let start = 0;
      for (let lf = filled.indexOf(10, start); lf !== -1; lf = filled.indexOf(10, start)) {
        yield { bytes: buffer, start, end: lf };
        start = lf + 1;
      }
      kept = filled.length - start;
      buffer.copy(buffer, 0, start, filled.length);
    }
    if (kept > 0) yield { bytes: buffer, start: 0, end: kept };
  } finally {
    closeSync(fd);
  }
}

/** True for a line of nothing but white space (JSON's four characters), which files may end with. */
export function isBlank({ bytes, start, end }: LineRange): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false;
  }
  return true;
}
