import "server-only";
import { BinaryCopyReader } from "./binary-copy-reader";
import { CsvLineWriter, type CsvCell } from "./csv-line-writer";
import { JsonLineWriter, type JsonField } from "./json-line-writer";
import { LineSlab } from "./line-slab";

/** What each row becomes: a JSON object line, or a CSV record ending in CRLF. */
export type LineFormat = { kind: "json"; fields: readonly JsonField[] } | { kind: "csv"; cells: readonly CsvCell[] };

/**
 * PostgreSQL's binary COPY in, the export's lines out: PostgreSQL only sends columns, as fast as its
 * raw COPY, and the lines are written here (building them in SQL, json_build_object or a
 * formula-neutralising function per CSV cell, cost it several times that). push() writes the rows
 * a chunk completes; take() hands over the lines written since the last take; finish() refuses a
 * stream cut short.
 */
export class BinaryCopyLines {
  private readonly slab = new LineSlab();
  private readonly reader: BinaryCopyReader;

  constructor(format: LineFormat) {
    const writer = format.kind === "json" ? new JsonLineWriter(format.fields, this.slab) : new CsvLineWriter(format.cells, this.slab);
    this.reader = new BinaryCopyReader(writer);
  }

  /** Writes every row the chunk completes; returns how many. */
  push(chunk: Buffer): number {
    return this.reader.push(chunk);
  }

  finish(): void {
    this.reader.finish();
  }

  get ended(): boolean {
    return this.reader.ended;
  }

  /** Bytes written and not yet taken. */
  get written(): number {
    return this.slab.written;
  }

  take(): Buffer {
    return this.slab.take();
  }
}
