import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryValueWriter } from "@/lib/server/exports/binary-value-writer";
import { LineSlab } from "@/lib/server/exports/line-slab";
import { binaryTime, binaryTimeOf, binaryUuid } from "../support/binary-copy-frames";

function written(values: { value: "time" | "uuid"; bytes: Buffer }[]): string[] {
  const slab = new LineSlab();
  const writer = new BinaryValueWriter(slab);
  return values.map(({ value, bytes }) => {
    writer.write(value, bytes, 0, bytes.length, 0);
    return slab.take().toString("latin1");
  });
}

describe("binary times and uuids written as text", () => {
  it("writes a time as Date.toISOString() writes it, before and after 2000, beyond ±285 years of it, on one day and across days", () => {
    fc.assert(
      fc.property(
        fc.array(fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }), {
          minLength: 1,
          maxLength: 40,
        }),
        (dates) => {
          const sameDay = dates.flatMap((d) => [d, new Date(d.getTime() + 1), new Date(d.getTime() + 61_001)]);
          expect(written(sameDay.map((d) => ({ value: "time", bytes: binaryTimeOf(d) })))).toEqual(sameDay.map((d) => d.toISOString()));
        },
      ),
    );
  });

  it("drops microseconds as to_char's MS did, on both sides of the epoch, and writes infinities and years past 9999", () => {
    const us = (iso: string, micros: number) => binaryTime(BigInt(Date.parse(iso)) * 1000n + BigInt(micros));
    expect(
      written([
        { value: "time", bytes: us("2026-12-02T10:11:12.345Z", 678) },
        { value: "time", bytes: us("1999-12-31T23:59:59.999Z", 999) },
        { value: "time", bytes: us("1700-06-30T12:00:00.001Z", 999) },
        { value: "time", bytes: binaryTime(0x7fffffffffffffffn + BigInt(946_684_800_000) * 1000n) },
        { value: "time", bytes: binaryTime(-0x8000000000000000n + BigInt(946_684_800_000) * 1000n) },
        { value: "time", bytes: binaryTimeOf(new Date("+010000-01-01T00:00:00.000Z")) },
      ]),
    ).toEqual([
      "2026-12-02T10:11:12.345Z",
      "1999-12-31T23:59:59.999Z",
      "1700-06-30T12:00:00.001Z",
      "infinity",
      "-infinity",
      "+010000-01-01T00:00:00.000Z",
    ]);
  });

  it("writes a uuid hyphenated in lower case, as PostgreSQL prints it", () => {
    const uuids = [
      ...Array.from({ length: 50 }, () => crypto.randomUUID()),
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ];
    expect(written(uuids.map((u) => ({ value: "uuid", bytes: binaryUuid(u.toUpperCase()) })))).toEqual(uuids);
  });

  it("refuses a value of the wrong length, naming its column", () => {
    const writer = new BinaryValueWriter(new LineSlab());
    expect(() => writer.write("time", Buffer.from("2026-12-02"), 0, 10, 2)).toThrow("Column 3 is not a binary timestamp.");
    expect(() => writer.write("uuid", Buffer.alloc(8), 0, 8, 0)).toThrow("Column 1 is not a binary uuid.");
    // PostgreSQL accepts times up to the year 294276; past a Date's range the column is refused, not misread.
    for (const micros of [8_640_000_000_000_001n * 1000n, -8_640_000_000_000_001n * 1000n])
      expect(() => writer.write("time", binaryTime(micros), 0, 8, 1)).toThrow(
        "Column 2 holds a time beyond what a JavaScript Date can write.",
      );
  });
});
