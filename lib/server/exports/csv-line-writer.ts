import "server-only";
import { BinaryValueWriter, type BinaryValue } from "./binary-value-writer";
import { int32At, type RowWriter } from "./binary-copy-reader";
import type { LineSlab } from "./line-slab";

/**
 * How a column becomes a CSV cell (RFC 4180, as lib/domain/csv.ts writes it): "text" has
 * formulas neutralised and is quoted when it holds a quote, comma or line break; "plain" text
 * (numbers, hashes) and the binary values never need either. A NULL or empty text is an empty cell.
 */
export type CsvCell = "text" | "plain" | BinaryValue;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const APOSTROPHE = 0x27;
// Byte classes, looked up once per byte of a text cell: 1 makes the cell quoted (quote, comma,
// CR, LF); 2 at its start makes a spreadsheet run it as a formula (= + - @ tab CR, csv.ts FORMULA_START).
const QUOTES = 1;
const FORMULA = 2;
const CSV_BYTE = new Uint8Array(256);
for (const b of [QUOTE, COMMA, CR, LF]) CSV_BYTE[b]! |= QUOTES;
for (const b of [0x3d, 0x2b, 0x2d, 0x40, 0x09, CR]) CSV_BYTE[b]! |= FORMULA;

/** Writes each row as a CSV record ending in CRLF, byte by byte: a cell with nothing to quote is copied as it is. */
export class CsvLineWriter implements RowWriter {
  readonly columns: number;
  private readonly values: BinaryValueWriter;

  constructor(
    private readonly cells: readonly CsvCell[],
    private readonly slab: LineSlab,
  ) {
    this.columns = cells.length;
    this.values = new BinaryValueWriter(slab);
  }

  writeRow(buf: Buffer, at: number): void {
    const { cells, slab } = this;
    for (let f = 0; f < cells.length; f++) {
      const length = int32At(buf, at);
      at += 4;
      if (f > 0) slab.writeByte(COMMA);
      if (length > 0) {
        const cell = cells[f]!;
        if (cell === "plain") slab.write(buf, at, at + length);
        else if (cell === "text") this.writeText(buf, at, at + length);
        else this.values.write(cell, buf, at, length, f);
        at += length;
      }
    }
    slab.writeByte(CR);
    slab.writeByte(LF);
  }

  /**
   * A cell of UTF-8 text: a formula disarmed with a leading apostrophe, quoted only when it must
   * be. Copied while it is scanned (most cells need no quotes); a byte that needs them starts the
   * cell again, quoted, each quote doubled: JSON cells (before, after) are full of quotes.
   */
  private writeText(buf: Buffer, start: number, end: number) {
    const slab = this.slab;
    const formula = (CSV_BYTE[buf[start]!]! & FORMULA) !== 0;
    slab.reserve(2 * (end - start) + 3);
    const out = slab.out;
    let u = slab.used;
    if (formula) out[u++] = APOSTROPHE;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (CSV_BYTE[b]! & QUOTES) return this.writeQuoted(buf, start, end, formula);
      out[u++] = b;
    }
    slab.used = u;
  }

  // Only from writeText, which reserved room for the worst case (every byte a quote, doubled).
  private writeQuoted(buf: Buffer, start: number, end: number, formula: boolean) {
    const slab = this.slab;
    const out = slab.out;
    let u = slab.used;
    out[u++] = QUOTE;
    if (formula) out[u++] = APOSTROPHE;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      out[u++] = b;
      if (b === QUOTE) out[u++] = QUOTE;
    }
    out[u++] = QUOTE;
    slab.used = u;
  }
}
