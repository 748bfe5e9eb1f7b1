import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryCopyLines, type LineFormat } from "@/lib/server/exports/binary-copy-lines";
import { binaryCopy, binaryTimeOf, binaryUuid, cutAt } from "../support/binary-copy-frames";

const at = new Date("2026-12-07T12:34:56.789Z");
const id = "5f0c6a4e-2b1d-4c3e-8f9a-0123456789ab";
const ROWS = [
  ["1", "=cmd", binaryTimeOf(at), binaryUuid(id)],
  ["2", null, null, null],
];
const CSV: LineFormat = { kind: "csv", cells: ["plain", "text", "time", "uuid"] };
const JSON_LINES: LineFormat = {
  kind: "json",
  fields: [
    { key: "n", raw: true },
    { key: "t", raw: false },
    { key: "at", raw: false, binary: "time" },
    { key: "id", raw: false, binary: "uuid" },
  ],
};

/** Reads the whole stream and takes its lines; throws what the reader or a writer refused. */
function readAll(format: LineFormat, pieces: Buffer[]): void {
  const lines = new BinaryCopyLines(format);
  for (const piece of pieces) {
    lines.push(piece);
    lines.take();
  }
  lines.finish();
}

describe("binary COPY in, export lines out", () => {
  it("writes each row as a CSV record or a JSON line, however the stream is cut", () => {
    const bytes = binaryCopy(ROWS);
    for (const [format, expected] of [
      [CSV, `1,'=cmd,${at.toISOString()},${id}\r\n2,,,\r\n`],
      [JSON_LINES, `{"n":1,"t":"=cmd","at":"${at.toISOString()}","id":"${id}"}\n{"n":2,"t":null,"at":null,"id":null}\n`],
    ] as const) {
      for (const pieces of [[bytes], [...bytes].map((b) => Buffer.from([b]))]) {
        const lines = new BinaryCopyLines(format);
        const out: Buffer[] = [];
        let count = 0;
        for (const piece of pieces) {
          count += lines.push(piece);
          out.push(lines.take());
        }
        lines.finish();
        expect(lines.ended).toBe(true);
        expect(count).toBe(2);
        expect(Buffer.concat(out).toString("utf8")).toBe(expected);
      }
    }
  });

  it("refuses a stream cut short, and any hostile stream with an error of its own, in both formats", () => {
    const cut = new BinaryCopyLines(CSV);
    cut.push(binaryCopy(ROWS).subarray(0, 40));
    expect(() => cut.finish()).toThrow("The binary COPY stream was cut short in row 1.");
    const valid = binaryCopy(ROWS);
    fc.assert(
      fc.property(
        fc.constantFrom(CSV, JSON_LINES),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (format, mutations, cuts) => {
          const bytes = Buffer.from(valid);
          for (const [i, value] of mutations) bytes[i % bytes.length] = value;
          try {
            readAll(
              format,
              cutAt(
                bytes,
                cuts.map((c) => c % (bytes.length + 1)),
              ),
            );
          } catch (error) {
            expect((error as Error).message).toMatch(/^(Not a binary COPY stream|Expected 4 columns|Column \d|The binary COPY )/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
