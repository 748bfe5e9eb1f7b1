import "server-only";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * How a column's text becomes a JSON value: "string" quoted (and escaped where needed), "raw"
 * written as it is (numbers, and JSON PostgreSQL already wrote: jsonb, to_json(array)).
 * A NULL is `null` either way. `members`: the text is a JSON object (never NULL) whose members
 * are written into the line itself, without a key (an audit event's hashed bytes).
 */
export type JsonField = { key: string; raw: boolean; members?: boolean };

/**
 * How a column's text becomes a CSV cell (RFC 4180, as lib/domain/csv.ts writes it): "text" has
 * formulas neutralised and is quoted when it holds a quote, comma or line break; "plain" (times,
 * numbers, UUIDs, hashes) never needs either. A NULL or empty text is an empty cell.
 */
export type CsvCell = "text" | "plain";

/** What each row becomes: a JSON object line, or a CSV record ending in CRLF. */
export type LineFormat = { kind: "json"; fields: readonly JsonField[] } | { kind: "csv"; cells: readonly CsvCell[] };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const APOSTROPHE = 0x27;
const NULL_BYTES = Buffer.from("null");
// = + - @ tab CR: a spreadsheet would run the cell as a formula (csv.ts FORMULA_START).
const FORMULA_START = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, CR]);

/**
 * Reads PostgreSQL's binary COPY of text columns as the bytes arrive, in any chunking, and writes
 * each row as a JSON object line or a CSV record, byte by byte: a value with nothing to escape or
 * quote is copied without ever becoming a JavaScript string. PostgreSQL then only sends columns,
 * as fast as its raw COPY; building the lines there (json_build_object, a formula-neutralising
 * function per CSV cell) cost it two to four times that.
 */
export class BinaryCopyLines {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  private readonly prefixes: Buffer[];
  private readonly columns: number;
  private out = Buffer.allocUnsafe(256 * 1024);
  private used = 0;
  ended = false;

  constructor(private readonly format: LineFormat) {
    this.prefixes = format.kind === "json" ? format.fields.map((f, i) => Buffer.from(`${i === 0 ? "{" : ","}${f.members ? "" : `${JSON.stringify(f.key)}:`}`)) : [];
    this.columns = format.kind === "json" ? format.fields.length : format.cells.length;
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
      if (count !== this.columns) throw new Error(`Expected ${this.columns} columns per row, got ${count}.`);
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
      if (this.format.kind === "json") this.writeJson(this.format.fields, buf, at + 2);
      else this.writeCsv(this.format.cells, buf, at + 2);
      at = end;
      rows++;
    }
    this.pending = buf.subarray(at);
    return { bytes: Buffer.from(this.out.subarray(0, this.used)), rows };
  }

  private writeJson(fields: readonly JsonField[], buf: Buffer, at: number) {
    for (let f = 0; f < fields.length; f++) {
      const length = buf.readInt32BE(at);
      at += 4;
      this.write(this.prefixes[f]!);
      if (fields[f]!.members) {
        if (length < 2 || buf[at] !== 0x7b || buf[at + length - 1] !== 0x7d) throw new Error(`Column ${f + 1} is not a JSON object.`);
        this.write(buf, at + 1, at + length - 1);
      } else if (length < 0) this.write(NULL_BYTES);
      else if (fields[f]!.raw) this.write(buf, at, at + length);
      else this.writeJsonString(buf, at, at + length);
      if (length > 0) at += length;
    }
    this.writeByte(0x7d);
    this.writeByte(LF);
  }

  private writeCsv(cells: readonly CsvCell[], buf: Buffer, at: number) {
    for (let f = 0; f < cells.length; f++) {
      const length = buf.readInt32BE(at);
      at += 4;
      if (f > 0) this.writeByte(COMMA);
      if (length > 0) {
        if (cells[f] === "plain") this.write(buf, at, at + length);
        else this.writeCsvText(buf, at, at + length);
        at += length;
      }
    }
    this.writeByte(CR);
    this.writeByte(LF);
  }

  /** A CSV cell of UTF-8 text: a formula disarmed with a leading apostrophe, quoted only when it must be. */
  private writeCsvText(buf: Buffer, start: number, end: number) {
    const formula = FORMULA_START.has(buf[start]!);
    let quoted = false;
    for (let i = start; i < end && !quoted; i++) {
      const b = buf[i]!;
      quoted = b === QUOTE || b === COMMA || b === CR || b === LF;
    }
    if (!quoted) {
      if (formula) this.writeByte(APOSTROPHE);
      this.write(buf, start, end);
      return;
    }
    // Quoted, each quote doubled, in one pass: JSON cells (before, after) are full of quotes.
    this.reserve(2 * (end - start) + 3);
    const out = this.out;
    let u = this.used;
    out[u++] = QUOTE;
    if (formula) out[u++] = APOSTROPHE;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      out[u++] = b;
      if (b === QUOTE) out[u++] = QUOTE;
    }
    out[u++] = QUOTE;
    this.used = u;
  }

  /** A JSON string of UTF-8 text: as it is between quotes, unless it holds ", \ or a control character. */
  private writeJsonString(buf: Buffer, start: number, end: number) {
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
