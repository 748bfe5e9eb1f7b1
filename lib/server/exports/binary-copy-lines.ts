import "server-only";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Columns PostgreSQL sends in their own binary form, written as text here: a timestamp(tz) as
 * Date.toISOString() writes it, a uuid in its usual hyphenated lowercase form. Formatting a time in
 * SQL (to_char) cost PostgreSQL more than the rest of an audit event's row.
 */
export type BinaryValue = "time" | "uuid";

/**
 * How a column becomes a JSON value: text "string" quoted (and escaped where needed), text "raw"
 * written as it is (numbers, and JSON PostgreSQL already wrote: jsonb, to_json(array)), a
 * `binary` value as a JSON string. A NULL is `null` in every case. `members`: the text is a JSON
 * object (never NULL) whose members are written into the line itself, without a key (an audit
 * event's hashed bytes).
 */
export type JsonField = { key: string; raw: boolean; members?: boolean; binary?: BinaryValue };

/**
 * How a column becomes a CSV cell (RFC 4180, as lib/domain/csv.ts writes it): "text" has
 * formulas neutralised and is quoted when it holds a quote, comma or line break; "plain" text
 * (numbers, hashes) and the binary values never need either. A NULL or empty text is an empty cell.
 */
export type CsvCell = "text" | "plain" | BinaryValue;

/** What each row becomes: a JSON object line, or a CSV record ending in CRLF. */
export type LineFormat = { kind: "json"; fields: readonly JsonField[] } | { kind: "csv"; cells: readonly CsvCell[] };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const APOSTROPHE = 0x27;
const NULL_BYTES = Buffer.from("null");
const HYPHEN = 0x2d;
const EMPTY = Buffer.alloc(0);
const SLAB_BYTES = 1024 * 1024;
const JOIN_FIRST = 4096;
// Two lowercase hex digits for each byte value, at 2 * byte.
const HEX = Buffer.from(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0")).join(""), "latin1");
// PostgreSQL counts time in microseconds from 2000-01-01 UTC; JavaScript in milliseconds from 1970.
const PG_EPOCH_MS = 946_684_800_000;
const INT64_MAX = 0x7fffffffffffffffn;
// Byte classes, looked up once per byte of a CSV text cell: 1 makes the cell quoted (quote, comma,
// CR, LF); 2 at its start makes a spreadsheet run it as a formula (= + - @ tab CR, csv.ts FORMULA_START).
const QUOTES = 1;
const FORMULA = 2;
const CSV_BYTE = new Uint8Array(256);
for (const b of [QUOTE, COMMA, CR, LF]) CSV_BYTE[b]! |= QUOTES;
for (const b of [0x3d, 0x2b, 0x2d, 0x40, 0x09, CR]) CSV_BYTE[b]! |= FORMULA;

/** A big-endian int32 (a field's length, -1 for NULL): Buffer's reader checks its arguments on every call. */
const int32At = (buf: Buffer, at: number) => (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;

/**
 * Reads PostgreSQL's binary COPY of text columns (and BinaryValue columns) as the bytes arrive, in
 * any chunking, and writes each row as a JSON object line or a CSV record, byte by byte: a value with nothing to escape or
 * quote is copied without ever becoming a JavaScript string. PostgreSQL then only sends columns,
 * as fast as its raw COPY; building the lines there (json_build_object, a formula-neutralising
 * function per CSV cell) cost it two to four times that. push() writes the rows a chunk completes;
 * take() hands over the lines written since the last take.
 */
export class BinaryCopyLines {
  // The start of a header or row whose end has not arrived yet.
  private pending: Buffer = EMPTY;
  private started = false;
  private readonly prefixes: Buffer[];
  private readonly columns: number;
  // Lines are written into a slab; take() hands over a view of what was written since the last
  // take, so a batch is neither copied nor given a buffer of its own.
  private out = Buffer.alloc(0);
  private from = 0;
  private used = 0;
  private rows = 0;
  // The date part of the last time written ("YYYY-MM-DDT"): rows in time order mostly share it.
  private day = NaN;
  private readonly dayText = Buffer.alloc(11);
  ended = false;

  constructor(private readonly format: LineFormat) {
    this.prefixes =
      format.kind === "json"
        ? format.fields.map((f, i) => Buffer.from(`${i === 0 ? "{" : ","}${f.members ? "" : `${JSON.stringify(f.key)}:`}`))
        : [];
    this.columns = format.kind === "json" ? format.fields.length : format.cells.length;
  }

  /** Writes every row the chunk completes; returns how many. */
  push(chunk: Buffer): number {
    const before = this.rows;
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
    this.pending = at < chunk.length && !this.ended ? chunk.subarray(at) : EMPTY;
    return this.rows - before;
  }

  /** Bytes written and not yet taken. */
  get written(): number {
    return this.used - this.from;
  }

  /** What was written since the last take (a view of the slab, never written again). */
  take(): Buffer {
    const lines = this.out.subarray(this.from, this.used);
    this.from = this.used;
    return lines;
  }

  /**
   * Reads the header, one row or the trailer at `at`, writing the row; returns where it ends, or 0
   * while it has not all arrived (and after the trailer).
   */
  private next(buf: Buffer, at: number): number {
    if (this.ended) return 0;
    if (!this.started) {
      if (buf.length - at < 19) return 0;
      if (!buf.subarray(at, at + 11).equals(SIGNATURE)) throw new Error("Not a binary COPY stream.");
      const extension = buf.readUInt32BE(at + 15);
      if (buf.length - at < 19 + extension) return 0;
      this.started = true;
      return at + 19 + extension;
    }
    if (buf.length - at < 2) return 0;
    const count = buf.readInt16BE(at);
    if (count === -1) {
      this.ended = true;
      return at + 2;
    }
    if (count !== this.columns) throw new Error(`Expected ${this.columns} columns per row, got ${count}.`);
    // A row is written only once all of it has arrived.
    let end = at + 2;
    for (let f = 0; f < count; f++) {
      if (buf.length - end < 4) return 0;
      end += 4 + Math.max(0, int32At(buf, end));
      if (end > buf.length) return 0;
    }
    if (this.format.kind === "json") this.writeJson(this.format.fields, buf, at + 2);
    else this.writeCsv(this.format.cells, buf, at + 2);
    this.rows++;
    return end;
  }

  private writeJson(fields: readonly JsonField[], buf: Buffer, at: number) {
    for (let f = 0; f < fields.length; f++) {
      const length = int32At(buf, at);
      at += 4;
      this.write(this.prefixes[f]!);
      const binary = fields[f]!.binary;
      if (fields[f]!.members) {
        if (length < 2 || buf[at] !== 0x7b || buf[at + length - 1] !== 0x7d) throw new Error(`Column ${f + 1} is not a JSON object.`);
        this.write(buf, at + 1, at + length - 1);
      } else if (length < 0) this.write(NULL_BYTES);
      else if (binary) {
        this.writeByte(QUOTE);
        this.writeBinary(binary, buf, at, length, f);
        this.writeByte(QUOTE);
      } else if (fields[f]!.raw) this.write(buf, at, at + length);
      else this.writeJsonString(buf, at, at + length);
      if (length > 0) at += length;
    }
    this.writeByte(0x7d);
    this.writeByte(LF);
  }

  private writeCsv(cells: readonly CsvCell[], buf: Buffer, at: number) {
    for (let f = 0; f < cells.length; f++) {
      const length = int32At(buf, at);
      at += 4;
      if (f > 0) this.writeByte(COMMA);
      if (length > 0) {
        const cell = cells[f]!;
        if (cell === "plain") this.write(buf, at, at + length);
        else if (cell === "text") this.writeCsvText(buf, at, at + length);
        else this.writeBinary(cell, buf, at, length, f);
        at += length;
      }
    }
    this.writeByte(CR);
    this.writeByte(LF);
  }

  /**
   * A CSV cell of UTF-8 text: a formula disarmed with a leading apostrophe, quoted only when it must
   * be. Copied while it is scanned (most cells need no quotes); a byte that needs them starts the
   * cell again, quoted, each quote doubled: JSON cells (before, after) are full of quotes.
   */
  private writeCsvText(buf: Buffer, start: number, end: number) {
    const formula = (CSV_BYTE[buf[start]!]! & FORMULA) !== 0;
    this.reserve(2 * (end - start) + 3);
    const out = this.out;
    let u = this.used;
    if (formula) out[u++] = APOSTROPHE;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (CSV_BYTE[b]! & QUOTES) return this.writeQuoted(buf, start, end, formula);
      out[u++] = b;
    }
    this.used = u;
  }

  // Only from writeCsvText, which reserved room for the worst case (every byte a quote, doubled).
  private writeQuoted(buf: Buffer, start: number, end: number, formula: boolean) {
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

  private writeBinary(value: BinaryValue, buf: Buffer, at: number, length: number, column: number) {
    if (value === "time") {
      if (length !== 8) throw new Error(`Column ${column + 1} is not a binary timestamp.`);
      this.writeTime(buf, at);
    } else {
      if (length !== 16) throw new Error(`Column ${column + 1} is not a binary uuid.`);
      this.writeUuid(buf, at);
    }
  }

  /**
   * A timestamp as toISOString() writes it (milliseconds; microseconds are dropped, as to_char's MS
   * does). toISOString costs ~0.8 µs, more than the rest of a row: it writes only a new day's date.
   */
  private writeTime(buf: Buffer, at: number) {
    const high = buf.readInt32BE(at);
    let ms: number;
    // Exact as a double within ±285 years of 2000; beyond that, and for ±infinity, in BigInt.
    if (high > -0x200000 && high < 0x200000) ms = Math.floor((high * 0x1_0000_0000 + buf.readUInt32BE(at + 4)) / 1000);
    else {
      const us = buf.readBigInt64BE(at);
      if (us === INT64_MAX || us === -INT64_MAX - 1n) return this.writeAscii(us > 0n ? "infinity" : "-infinity");
      ms = Number(us / 1000n) - (us % 1000n < 0n ? 1 : 0);
    }
    const time = ms + PG_EPOCH_MS;
    const day = Math.floor(time / 86_400_000);
    if (day !== this.day) {
      const iso = new Date(time).toISOString();
      // Years beyond 0-9999 are written "+010000-…": whole, not cached.
      if (iso.length !== 24) return this.writeAscii(iso);
      this.dayText.write(iso, 0, 11, "latin1");
      this.day = day;
    }
    let rest = time - day * 86_400_000;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    this.reserve(24);
    const out = this.out;
    let u = this.used;
    for (let i = 0; i < 11; i++) out[u++] = this.dayText[i]!;
    out[u++] = 0x30 + Math.floor(hours / 10);
    out[u++] = 0x30 + (hours % 10);
    out[u++] = 0x3a;
    out[u++] = 0x30 + Math.floor(minutes / 10);
    out[u++] = 0x30 + (minutes % 10);
    out[u++] = 0x3a;
    out[u++] = 0x30 + Math.floor(seconds / 10);
    out[u++] = 0x30 + (seconds % 10);
    out[u++] = 0x2e;
    out[u++] = 0x30 + Math.floor(millis / 100);
    out[u++] = 0x30 + (Math.floor(millis / 10) % 10);
    out[u++] = 0x30 + (millis % 10);
    out[u++] = 0x5a;
    this.used = u;
  }

  private writeUuid(buf: Buffer, at: number) {
    this.reserve(36);
    const out = this.out;
    let u = this.used;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out[u++] = HYPHEN;
      const h = 2 * buf[at + i]!;
      out[u++] = HEX[h]!;
      out[u++] = HEX[h + 1]!;
    }
    this.used = u;
  }

  private writeAscii(text: string) {
    this.reserve(text.length);
    this.used += this.out.write(text, this.used, "latin1");
  }

  // A full slab is left to the views taken from it; what was written since moves to a new one.
  private reserve(n: number) {
    if (this.used + n <= this.out.length) return;
    const kept = this.used - this.from;
    const slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (kept + n)));
    this.out.copy(slab, 0, this.from, this.used);
    this.out = slab;
    this.from = 0;
    this.used = kept;
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
