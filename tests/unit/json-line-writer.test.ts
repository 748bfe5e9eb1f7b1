import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonLineWriter, type JsonField } from "@/lib/server/exports/json-line-writer";
import { LineSlab } from "@/lib/server/exports/line-slab";
import { binaryTimeOf, binaryUuid, rowFields, type Field } from "../support/binary-copy-frames";

function line(fields: readonly JsonField[], values: readonly Field[]): string {
  const slab = new LineSlab();
  new JsonLineWriter(fields, slab).writeRow(rowFields(values), 0);
  return slab.take().toString("utf8");
}

const anyText = fc.string({ unit: "binary", maxLength: 24 }).filter((s) => !/[\uD800-\uDFFF]/.test(s));

describe("JSON object lines written from binary COPY fields", () => {
  it("holds the same values as JSON.stringify of the row: any text, NULLs, raw numbers and JSON", () => {
    const fields: JsonField[] = [
      { key: "text", raw: false },
      { key: "maybe", raw: false },
      { key: "n", raw: true },
      { key: "doc", raw: true },
      { key: 'odd "key"', raw: false },
    ];
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: null }), fc.integer(), (a, b, n) => {
        const doc = JSON.stringify({ a, list: [b, n] });
        const written = line(fields, [a, b, String(n), doc, a]);
        expect(written.endsWith("}\n")).toBe(true);
        expect(written.slice(0, -1)).not.toContain("\n");
        expect(JSON.parse(written)).toEqual({ text: a, maybe: b, n, doc: { a, list: [b, n] }, 'odd "key"': a });
      }),
      { numRuns: 500 },
    );
  });

  it("writes a members field's object into the line itself, binary values as strings, and NULLs as null", () => {
    const at = new Date("2026-12-07T12:34:56.789Z");
    const id = crypto.randomUUID();
    const fields: JsonField[] = [
      { key: "hashed", raw: true, members: true },
      { key: "at", raw: false, binary: "time" },
      { key: "id", raw: false, binary: "uuid" },
      { key: "none", raw: false, binary: "time" },
    ];
    expect(line(fields, ['{"seq": 1, "action": "x"}', binaryTimeOf(at), binaryUuid(id), null])).toBe(
      `{"seq": 1, "action": "x","at":"${at.toISOString()}","id":"${id}","none":null}\n`,
    );
  });

  it("refuses a members field that is not a JSON object", () => {
    const fields: JsonField[] = [{ key: "hashed", raw: true, members: true }];
    for (const value of [null, "", "[1]", "{", "1"])
      expect(() => line(fields, [value]), String(value)).toThrow("Column 1 is not a JSON object.");
  });
});
