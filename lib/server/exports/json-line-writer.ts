import "server-only";
import { BinaryValueWriter, type BinaryValue } from "./binary-value-writer";
import { int32At, type RowWriter } from "./binary-copy-reader";
import type { LineSlab } from "./line-slab";

/**
 * How a column becomes a JSON value: text "string" quoted (and escaped where needed), text "raw"
 * written as it is (numbers, and JSON PostgreSQL already wrote: jsonb, to_json(array)), a
 * `binary` value as a JSON string. A NULL is `null` in every case. `members`: the text is a JSON
 * object (never NULL) whose members are written into the line itself, without a key (an audit
 * event's hashed bytes).
 */
export type JsonField = { key: string; raw: boolean; members?: boolean; binary?: BinaryValue };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from("null");

/**
 * Writes each row as a JSON object line, byte by byte: a value with nothing to escape is copied
 * without ever becoming a JavaScript string.
 */
export class JsonLineWriter implements RowWriter {
  readonly columns: number;
  // What goes before each value: "{" or ",", then the quoted key and a colon.
  private readonly prefixes: Buffer[];
  private readonly values: BinaryValueWriter;

  constructor(
    private readonly fields: readonly JsonField[],
    private readonly slab: LineSlab,
  ) {
    this.columns = fields.length;
    this.prefixes = fields.map((f, i) => Buffer.from(`${i === 0 ? "{" : ","}${f.members ? "" : `${JSON.stringify(f.key)}:`}`));
    this.values = new BinaryValueWriter(slab);
  }

  writeRow(buf: Buffer, at: number): void {
    const { fields, slab } = this;
    for (let f = 0; f < fields.length; f++) {
      const length = int32At(buf, at);
      at += 4;
      slab.write(this.prefixes[f]!);
      const binary = fields[f]!.binary;
      if (fields[f]!.members) {
        if (length < 2 || buf[at] !== 0x7b || buf[at + length - 1] !== 0x7d) throw new Error(`Column ${f + 1} is not a JSON object.`);
        slab.write(buf, at + 1, at + length - 1);
      } else if (length < 0) slab.write(NULL_BYTES);
      else if (binary) {
        slab.writeByte(QUOTE);
        this.values.write(binary, buf, at, length, f);
        slab.writeByte(QUOTE);
      } else if (fields[f]!.raw) slab.write(buf, at, at + length);
      else this.writeString(buf, at, at + length);
      if (length > 0) at += length;
    }
    slab.writeByte(0x7d);
    slab.writeByte(0x0a);
  }

  /** A JSON string of UTF-8 text: as it is between quotes, unless it holds ", \ or a control character. */
  private writeString(buf: Buffer, start: number, end: number) {
    const slab = this.slab;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b < 0x20 || b === QUOTE || b === BACKSLASH) {
        slab.write(Buffer.from(JSON.stringify(buf.toString("utf8", start, end))));
        return;
      }
    }
    slab.writeByte(QUOTE);
    slab.write(buf, start, end);
    slab.writeByte(QUOTE);
  }
}
