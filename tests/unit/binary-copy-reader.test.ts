import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryCopyReader, type RowWriter } from "@/lib/server/exports/binary-copy-reader";
import { binaryCopy, cutAt, int32, type Field } from "../support/binary-copy-frames";

/** A writer that keeps each row's fields as text (null for NULL). */
function recorder(columns: number): RowWriter & { rows: (string | null)[][] } {
  const rows: (string | null)[][] = [];
  return {
    columns,
    rows,
    writeRow(buf, at) {
      const row: (string | null)[] = [];
      for (let f = 0; f < columns; f++) {
        const length = buf.readInt32BE(at);
        at += 4;
        row.push(length < 0 ? null : buf.toString("utf8", at, at + length));
        if (length > 0) at += length;
      }
      rows.push(row);
    },
  };
}

function read(bytes: Buffer | Buffer[], columns: number) {
  const writer = recorder(columns);
  const reader = new BinaryCopyReader(writer);
  let count = 0;
  for (const piece of Array.isArray(bytes) ? bytes : [bytes]) count += reader.push(piece);
  reader.finish();
  return { rows: writer.rows, count, ended: reader.ended };
}

const ROWS: Field[][] = [
  ["one", null, ""],
  ['ünïcödé, "quoted"\r\n', "b".repeat(5000), "x"],
  [null, null, null],
];

describe("reading a binary COPY", () => {
  it("hands over every row, fields and NULLs as sent, however the bytes are cut", () => {
    const text = fc.option(fc.string({ unit: "grapheme", maxLength: 40 }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 12 }), (rows, cuts) => {
        const bytes = binaryCopy(rows);
        const result = read(
          cutAt(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          ),
          2,
        );
        expect(result).toEqual({ rows, count: rows.length, ended: true });
      }),
    );
  });

  it("reads byte by byte, across rows longer than its first join, and skips a header extension", () => {
    const bytes = binaryCopy(ROWS, { extension: Buffer.from("future use") });
    expect(
      read(
        [...bytes].map((b) => Buffer.from([b])),
        3,
      ),
    ).toEqual({ rows: ROWS, count: 3, ended: true });
    expect(read(bytes, 3).rows).toEqual(ROWS);
  });
});

describe("a hostile or broken stream is refused with a clear error, never waited on", () => {
  it("refuses a wrong signature from its first differing byte", () => {
    expect(() => read(Buffer.from("PGCOPY\nX"), 1)).toThrow("Not a binary COPY stream.");
    expect(() => read(Buffer.from("id,title\r\n1,a\r\n"), 2)).toThrow("Not a binary COPY stream.");
    const text = binaryCopy([["a"]]);
    text[10] = 1;
    expect(() => read(text, 1)).toThrow("Not a binary COPY stream.");
  });

  it("refuses every truncation of a stream, in its header, in a row or before its trailer, once it has ended", () => {
    const bytes = binaryCopy(ROWS);
    for (let n = 0; n < bytes.length; n++) {
      const reader = new BinaryCopyReader(recorder(3));
      reader.push(bytes.subarray(0, n));
      expect(reader.ended).toBe(false);
      expect(() => reader.finish(), `cut after ${n} bytes`).toThrow(
        /^The binary COPY stream was cut short (in its header|in row \d|before its trailer)\.$/,
      );
    }
    expect(() => read(bytes.subarray(0, 10), 3)).toThrow("cut short in its header");
    expect(() => read(bytes.subarray(0, 30), 3)).toThrow("cut short in row 1");
    expect(() => read(binaryCopy(ROWS, { trailer: false }), 3)).toThrow("cut short before its trailer");
  });

  it("refuses a negative field length other than NULL's -1, and one past PostgreSQL's own limit, as soon as the length arrives", () => {
    const head = binaryCopy([], { trailer: false });
    const row = (length: number) => Buffer.concat([head, Buffer.from([0, 1]), int32(length)]);
    for (const length of [-2, -1000, -(2 ** 31), 2 ** 30, 2 ** 31 - 1]) {
      const reader = new BinaryCopyReader(recorder(1));
      expect(() => reader.push(row(length)), String(length)).toThrow(`Column 1 of row 1 has an impossible length, ${length}.`);
    }
    // Within the limit but longer than what follows: waited for, then refused when the stream ends.
    const reader = new BinaryCopyReader(recorder(1));
    expect(reader.push(Buffer.concat([row(1_000_000), Buffer.from("short")]))).toBe(0);
    expect(() => reader.finish()).toThrow("cut short in row 1");
  });

  it("refuses a row with another number of columns, an unknown critical flag, an oversized header extension, and bytes after the trailer", () => {
    expect(() => read(binaryCopy([["a", "b"]]), 3)).toThrow("Expected 3 columns per row, got 2.");
    expect(() => read(binaryCopy([["a"]], { flags: 1 << 16 }), 1)).toThrow("flags this reader does not know (0x10000)");
    const huge = binaryCopy([], { trailer: false });
    huge.writeUInt32BE(0xffffffff, 15);
    expect(() => new BinaryCopyReader(recorder(1)).push(huge)).toThrow("header extension is too long (4294967295 bytes)");
    expect(() => read(Buffer.concat([binaryCopy([["a"]]), Buffer.from([0])]), 1)).toThrow("goes on after its trailer");
    expect(() => read([binaryCopy([["a"]]), Buffer.from([0, 1])], 1)).toThrow("goes on after its trailer");
    // A non-critical flag (bits 0-15) is allowed to pass.
    expect(read(binaryCopy([["a"]], { flags: 1 }), 1).rows).toEqual([["a"]]);
  });

  it("answers any mutation or truncation of a stream with its rows or one of its own errors, in any chunking", () => {
    const valid = binaryCopy(ROWS);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (mutations, keep, cuts) => {
          const bytes = Buffer.from(valid.subarray(0, valid.length - (keep % 8)));
          for (const [at, value] of mutations) bytes[at % bytes.length] = value;
          try {
            read(
              cutAt(
                bytes,
                cuts.map((c) => c % (bytes.length + 1)),
              ),
              3,
            );
          } catch (error) {
            expect((error as Error).message).toMatch(
              /^(Not a binary COPY stream\.|Expected 3 columns per row, got -?\d+\.|Column \d of row \d has an impossible length, -?\d+\.|The binary COPY .+)$/,
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
