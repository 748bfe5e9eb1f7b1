import "server-only";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Reads PostgreSQL's binary COPY format for a one-column result as the bytes arrive, in any
 * chunking: it hands back each batch of complete rows as the concatenation of their values, so a
 * row's bytes go from the database to the client untouched. Returns null after the trailer.
 */
export class BinaryCopyRows {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  ended = false;

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
    const values: Buffer[] = [];
    while (this.pending.length - at >= 2) {
      const fields = this.pending.readInt16BE(at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`Expected one column per row, got ${fields}.`);
      if (this.pending.length - at < 6) break;
      const length = this.pending.readInt32BE(at + 2);
      if (length < 0) throw new Error("An export line was NULL.");
      if (this.pending.length - at < 6 + length) break;
      values.push(this.pending.subarray(at + 6, at + 6 + length));
      at += 6 + length;
    }
    this.pending = this.pending.subarray(at);
    return { bytes: values.length === 1 ? values[0]! : Buffer.concat(values), rows: values.length };
  }
}
