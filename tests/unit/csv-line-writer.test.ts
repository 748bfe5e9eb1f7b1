import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRow } from "@/lib/domain/csv";
import { CsvLineWriter, type CsvCell } from "@/lib/server/exports/csv-line-writer";
import { LineSlab } from "@/lib/server/exports/line-slab";
import { binaryTimeOf, binaryUuid, rowFields, type Field } from "../support/binary-copy-frames";

function record(cells: readonly CsvCell[], fields: readonly Field[]): string {
  const slab = new LineSlab();
  new CsvLineWriter(cells, slab).writeRow(rowFields(fields), 0);
  return slab.take().toString("utf8");
}

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.stringMatching(/^[=+\-@\t\r",\n a-z0-9']{0,12}$/),
  fc.constantFrom("", "=SUM(A1)", "-2+3", "@cmd", "\ttab", "\r=1", 'say "hi"', "a,b", "two\r\nlines", "'quoted'"),
);

describe("CSV records written from binary COPY fields", () => {
  it("writes a text cell byte for byte as csvRow does: formulas disarmed, quoted only when it must be", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (values) => {
        expect(
          record(
            values.map(() => "text"),
            values,
          ),
        ).toBe(csvRow(values));
      }),
      { numRuns: 500 },
    );
  });

  it("writes NULL and empty text as empty cells, plain text as it is, and binary times and uuids as text", () => {
    const at = new Date("2026-12-07T12:34:56.789Z");
    const id = crypto.randomUUID();
    expect(
      record(["text", "text", "plain", "plain", "time", "uuid", "time"], [null, "", "-1", 'a"b', binaryTimeOf(at), binaryUuid(id), null]),
    ).toBe(`,,-1,a"b,${at.toISOString()},${id},\r\n`);
  });
});
