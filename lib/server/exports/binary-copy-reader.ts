import "server-only";

/**
 * Writes one row of a binary COPY once all of it has arrived: its fields start at `at` in `buf`,
 * each a big-endian int32 length (-1 for NULL) and that many bytes.
 */
export type RowWriter = { readonly columns: number; writeRow(buf: Buffer, at: number): void };

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER_BYTES = 19;
// PostgreSQL writes no header extension; a reader must skip one it does not know, within reason.
const MAX_EXTENSION_BYTES = 64 * 1024;
// PostgreSQL's own limit on one field's value.
const MAX_FIELD_BYTES = 0x3fff_ffff;
const EMPTY = Buffer.alloc(0);
const JOIN_FIRST = 4096;

/** A big-endian int32 (a field's length, -1 for NULL): Buffer's reader checks its arguments on every call. */
export const int32At = (buf: Buffer, at: number) => (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;

/**
 * Reads PostgreSQL's binary COPY (header, rows, trailer) as the bytes arrive, in any chunking, and
 * hands each complete row to its writer. A stream that breaks the format is refused with an error
 * naming what is wrong, as soon as the bytes that show it arrive; one cut short is refused by finish().
 */
export class BinaryCopyReader {
  // The start of a header or row whose end has not arrived yet.
  private pending: Buffer = EMPTY;
  private started = false;
  private rows = 0;
  ended = false;

  constructor(private readonly writer: RowWriter) {}

  /** Writes every row the chunk completes; returns how many. */
  push(chunk: Buffer): number {
    const before = this.rows;
    if (this.ended) {
      if (chunk.length > 0) throw new Error("The binary COPY stream goes on after its trailer.");
      return 0;
    }
    if (this.pending.length) {
      // The unfinished header or row is joined with as little of the chunk as usually finishes it
      // (the rest of a row), and with the whole chunk only when that was not enough.
      const waiting = this.pending.length;
      let take = Math.min(chunk.length, waiting < JOIN_FIRST ? JOIN_FIRST : chunk.length);
      for (;;) {
        const joined = Buffer.concat([this.pending, chunk.subarray(0, take)]);
        const end = this.next(joined, 0);
        if (end > 0) {
          this.pending = EMPTY;
          chunk = chunk.subarray(end - waiting);
          break;
        }
        if (take === chunk.length) {
          this.pending = joined;
          return this.rows - before;
        }
        take = chunk.length;
      }
    }
    let at = 0;
    for (let end = this.next(chunk, at); end > 0; end = this.next(chunk, at)) at = end;
    if (at < chunk.length && this.ended) throw new Error("The binary COPY stream goes on after its trailer.");
    this.pending = at < chunk.length ? chunk.subarray(at) : EMPTY;
    return this.rows - before;
  }

  /** The stream has ended: refuses one cut short (no trailer yet, or part of a header or row left). */
  finish(): void {
    if (this.ended) return;
    const where = !this.started ? "in its header" : this.pending.length > 0 ? `in row ${this.rows + 1}` : "before its trailer";
    throw new Error(`The binary COPY stream was cut short ${where}.`);
  }

  /**
   * Reads the header, one row or the trailer at `at`, writing the row; returns where it ends, or 0
   * while it has not all arrived (and after the trailer).
   */
  private next(buf: Buffer, at: number): number {
    if (this.ended) return 0;
    if (!this.started) return this.header(buf, at);
    if (buf.length - at < 2) return 0;
    const count = buf.readInt16BE(at);
    if (count === -1) {
      this.ended = true;
      return at + 2;
    }
    if (count !== this.writer.columns) throw new Error(`Expected ${this.writer.columns} columns per row, got ${count}.`);
    // A row is written only once all of it has arrived.
    let end = at + 2;
    for (let f = 0; f < count; f++) {
      if (buf.length - end < 4) return 0;
      const length = int32At(buf, end);
      if (length < -1 || length > MAX_FIELD_BYTES)
        throw new Error(`Column ${f + 1} of row ${this.rows + 1} has an impossible length, ${length}.`);
      end += 4 + Math.max(0, length);
      if (end > buf.length) return 0;
    }
    this.writer.writeRow(buf, at + 2);
    this.rows++;
    return end;
  }

  private header(buf: Buffer, at: number): number {
    // The signature is refused as soon as its first bytes differ, not only once all 19 arrived.
    const seen = Math.min(buf.length - at, SIGNATURE.length);
    if (!buf.subarray(at, at + seen).equals(SIGNATURE.subarray(0, seen))) throw new Error("Not a binary COPY stream.");
    if (buf.length - at < HEADER_BYTES) return 0;
    // Flags 16-31 are critical: a reader that does not know one must refuse the stream (bit 16: OIDs, which would shift every field).
    const flags = buf.readUInt32BE(at + 11);
    if (flags >>> 16 !== 0) throw new Error(`The binary COPY header sets flags this reader does not know (0x${flags.toString(16)}).`);
    const extension = buf.readUInt32BE(at + 15);
    if (extension > MAX_EXTENSION_BYTES) throw new Error(`The binary COPY header extension is too long (${extension} bytes).`);
    if (buf.length - at < HEADER_BYTES + extension) return 0;
    this.started = true;
    return at + HEADER_BYTES + extension;
  }
}
