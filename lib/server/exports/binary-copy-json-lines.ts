import "server-only";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * How a column's text becomes a JSON value: "string" quoted (and escaped where needed), "raw"
 * written as it is (numbers, and JSON PostgreSQL already wrote: jsonb, to_json(array)).
 * A NULL is `null` either way.
 */
export type JsonField = { key: string; raw: boolean };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from("null");

/**
 * Reads PostgreSQL's binary COPY of text columns as the bytes arrive, in any chunking, and writes
 * one JSON object per row (`{"key":value,…}\n`), byte by byte: a value with nothing to escape is
 * copied between its quotes without ever becoming a JavaScript string. PostgreSQL then only sends
 * columns (as fast as its raw COPY); building the objects there (json_build_object) cost it four
 * times that.
 */
export class BinaryCopyJsonLines {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  private readonly prefixes: Buffer[];
  private out = Buffer.allocUnsafe(256 * 1024);
  private used = 0;
  ended = false;

  constructor(private readonly fields: readonly JsonField[]) {
    this.prefixes = fields.map((f, i) => Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(f.key)}:`));
  }

  push(chunk: Buffer): { bytes: Buffer; rows: number } {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (!this.started) {
      if (this.pending.length < 19) return { bytes: Buffer.alloc(0), rows: 0 };
      if (!this.pending.subarray(0, 11).equals(SIGNATURE)) throw new Error("Not a binary COPY stream.");
      const extension = this.pending.readUInt32BE(15);
      if (this.pending.length < 19 + extension) return { bytes: Buffer.alloc(0), rows: 0 };
      at = 19 + extension;
      this.started = true;
    }
    this.used = 0;
    let rows = 0;
    const buf = this.pending;
    for (;;) {
      const rowStart = at;
      if (buf.length - at < 2) break;
      const count = buf.readInt16BE(at);
      if (count === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (count !== this.fields.length) throw new Error(`Expected ${this.fields.length} columns per row, got ${count}.`);
      // A row is written only once all of it has arrived.
      let end = at + 2;
      let complete = true;
      for (let f = 0; f < count; f++) {
        if (buf.length - end < 4) { complete = false; break; }
        const length = buf.readInt32BE(end);
        end += 4 + Math.max(0, length);
        if (end > buf.length) { complete = false; break; }
      }
      if (!complete) { at = rowStart; break; }
      let field = at + 2;
      for (let f = 0; f < count; f++) {
        const length = buf.readInt32BE(field);
        field += 4;
        this.write(this.prefixes[f]!);
        if (length < 0) this.write(NULL_BYTES);
        else if (this.fields[f]!.raw) this.write(buf, field, field + length);
        else this.writeString(buf, field, field + length);
        if (length > 0) field += length;
      }
      this.writeByte(0x7d);
      this.writeByte(0x0a);
      at = end;
      rows++;
    }
    this.pending = buf.subarray(at);
    return { bytes: Buffer.from(this.out.subarray(0, this.used)), rows };
  }

  /** A JSON string of UTF-8 text: as it is between quotes, unless it holds ", \ or a control character. */
  private writeString(buf: Buffer, start: number, end: number) {
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b < 0x20 || b === QUOTE || b === BACKSLASH) {
        this.write(Buffer.from(JSON.stringify(buf.toString("utf8", start, end))));
        return;
      }
    }
    this.writeByte(QUOTE);
    this.write(buf, start, end);
    this.writeByte(QUOTE);
  }

  private reserve(n: number) {
    if (this.used + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.used + n));
    this.out.copy(bigger, 0, 0, this.used);
    this.out = bigger;
  }

  // Most pieces are a dozen bytes: a loop beats a native copy call for those.
  private write(src: Buffer, start = 0, end = src.length) {
    const n = end - start;
    this.reserve(n);
    if (n < 48) {
      const out = this.out;
      let u = this.used;
      for (let i = start; i < end; i++) out[u++] = src[i]!;
      this.used = u;
    } else {
      src.copy(this.out, this.used, start, end);
      this.used += n;
    }
  }

  private writeByte(b: number) {
    this.reserve(1);
    this.out[this.used++] = b;
  }
}
