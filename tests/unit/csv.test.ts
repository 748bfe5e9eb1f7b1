import { describe, expect, it } from "vitest";
import { csvField, csvRecordCounter, csvRow, neutraliseFormula } from "@/lib/domain/csv";

describe("CSV (RFC 4180)", () => {
  it("quotes fields holding a comma, a quote or a line break, and doubles quotes", () => {
    expect(csvRow(["plain", "a,b", 'say "hi"', "two\nlines", "cr\rlf"])).toBe('plain,"a,b","say ""hi""","two\nlines","cr\rlf"\r\n');
  });

  it("writes empty cells for null and undefined, ISO times for dates, numbers as numbers", () => {
    expect(csvRow([null, undefined, new Date("2026-11-23T10:00:00Z"), 42, -3.5, true])).toBe(",,2026-11-23T10:00:00.000Z,42,-3.5,true\r\n");
  });

  it.each(["=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "\tformula", "\r=1"])("neutralises a cell that starts like a formula: %j", (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
    expect(csvField(text).replace(/^"|"$/g, "").startsWith("'")).toBe(true);
  });

  it("leaves ordinary text alone, including a formula character later in the cell", () => {
    expect(csvField("CHG-12 = done")).toBe("CHG-12 = done");
    expect(csvField("")).toBe("");
  });
});

describe("counting CSV records as they arrive", () => {
  it("counts line ends outside quotes only, across chunk boundaries", () => {
    const text = csvRow(["a", "b"]) + csvRow(["two\r\nlines", 'say "hi"']) + csvRow(["x", "y"]);
    const counter = csvRecordCounter();
    for (let i = 0; i < text.length; i += 3) counter.feed(text.slice(i, i + 3));
    expect(counter.records).toBe(3);
  });
});
