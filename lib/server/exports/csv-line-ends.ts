import "server-only";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * PostgreSQL's COPY writes CSV records ending in LF; RFC 4180 wants CRLF. This turns each record's
 * LF (one outside quotes) into CRLF as the bytes arrive, leaving line breaks inside quoted cells
 * alone, and counts the records.
 */
export class CsvLineEnds {
  private inQuotes = false;
  records = 0;

  convert(chunk: Uint8Array): Uint8Array {
    let ends = 0;
    let quoted = this.inQuotes;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) quoted = !quoted;
      else if (b === LF && !quoted) ends++;
    }
    if (ends === 0) {
      this.inQuotes = quoted;
      return chunk;
    }
    const out = new Uint8Array(chunk.length + ends);
    let o = 0;
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) this.inQuotes = !this.inQuotes;
      else if (b === LF && !this.inQuotes) {
        out.set(chunk.subarray(from, i), o);
        o += i - from;
        out[o++] = CR;
        out[o++] = LF;
        from = i + 1;
      }
    }
    out.set(chunk.subarray(from), o);
    this.records += ends;
    return out;
  }
}
