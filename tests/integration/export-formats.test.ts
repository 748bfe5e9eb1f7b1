import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { to as copyTo } from "pg-copy-streams";
import { csvRow } from "@/lib/domain/csv";
import { BinaryCopyLines, type LineFormat } from "@/lib/server/exports/binary-copy-lines";

// The exports' CSV records are written from PostgreSQL's binary COPY by BinaryCopyLines; the
// reports' by lib/domain/csv.ts. Both must write the same bytes for the same text, or the same value
// would export differently. Times: iso_utc against toISOString.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.stringMatching(/^[=+\-@\t\r",\n a-z0-9']{0,12}$/),
  fc.constantFrom("", "=SUM(A1)", "-2+3", "@cmd", "\ttab", "\r=1", 'say "hi"', "a,b", "two\r\nlines", "'quoted'"),
).filter((s) => !s.includes("\u0000") && s !== "\\.");

describe("PostgreSQL and TypeScript write the same CSV and times", () => {
  it("a CSV record written from the COPY is byte for byte what csvRow writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }), async (rows) => {
        const literal = (values: string[]) => `ARRAY[${values.map((v) => client.escapeLiteral(v)).join(", ")}]::text[]`;
        const sql = `COPY (SELECT a, t.n::text, b FROM unnest(${literal(rows.map((r) => r[0]))}, ${literal(rows.map((r) => r[1]))})
          WITH ORDINALITY AS t(a, b, n) ORDER BY t.n) TO STDOUT (FORMAT binary)`;
        const { text: written, count } = await linesOf(sql, { kind: "csv", cells: ["text", "plain", "text"] }, (c) => [c]);
        expect(written).toBe(rows.map(([a, b], i) => csvRow([a, i + 1, b])).join(""));
        expect(count).toBe(rows.length);
      }),
      { numRuns: 60 },
    );
  });

  it("iso_utc(timestamptz) equals Date.toISOString()", async () => {
    const dates = fc.sample(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59.999Z"), noInvalidDate: true }), 200);
    const { rows } = await client.query<{ iso: string }>("SELECT iso_utc(t) AS iso FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(t, n) ORDER BY n", [dates.map((d) => d.toISOString())]);
    expect(rows.map((r) => r.iso)).toEqual(dates.map((d) => d.toISOString()));
  });
});

/** The file BinaryCopyLines writes from a binary COPY, each chunk cut as `cut` says. */
async function linesOf(sql: string, format: LineFormat, cut: (chunk: Buffer) => Buffer[]) {
  const lines = new BinaryCopyLines(format);
  const parts: Buffer[] = [];
  let count = 0;
  for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
    for (const piece of cut(chunk)) {
      const out = lines.push(piece);
      parts.push(out.bytes);
      count += out.rows;
    }
  }
  expect(lines.ended).toBe(true);
  return { text: Buffer.concat(parts).toString("utf8"), count };
}

describe("JSON Lines written from a binary COPY of text columns", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 24 }).filter((s) => !s.includes("\u0000") && !/[\uD800-\uDFFF]/.test(s));
  const json: LineFormat = { kind: "json", fields: [{ key: "n", raw: true }, { key: "text", raw: false }, { key: "maybe", raw: false }, { key: "doc", raw: true }, { key: "tags", raw: true }] };
  const query = (rows: [string, string | null][]) => {
    const literal = (values: (string | null)[]) => `ARRAY[${values.map((v) => (v === null ? "NULL" : client.escapeLiteral(v))).join(", ")}]::text[]`;
    return `COPY (SELECT t.n::text, a, b, jsonb_build_object('a', a, 'n', t.n)::text, to_json(ARRAY[a, b])::text
      FROM unnest(${literal(rows.map((r) => r[0]))}, ${literal(rows.map((r) => r[1]))}) WITH ORDINALITY AS t(a, b, n) ORDER BY t.n) TO STDOUT (FORMAT binary)`;
  };

  it("holds the same values as JSON.stringify of each row, any text, NULLs, nested JSON and arrays", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(anyText, fc.option(anyText, { nil: null })), { minLength: 1, maxLength: 20 }), async (pairs) => {
        const { text, count } = await linesOf(query(pairs), json, (c) => [c]);
        expect(count).toBe(pairs.length);
        expect(text.endsWith("\n")).toBe(true);
        const parsed = text.slice(0, -1).split("\n").map((line) => JSON.parse(line));
        expect(parsed).toEqual(pairs.map(([a, b], i) => ({ n: i + 1, text: a, maybe: b, doc: { a, n: i + 1 }, tags: [a, b] })));
      }),
      { numRuns: 60 },
    );
  });

  it("writes the same file however the stream is cut, down to one byte at a time, in both formats", async () => {
    const rows: [string, string | null][] = [["plain", null], ['quote " and \\ back', "tab\tnew\nline"], ["=ünïcödé €", "\u0001,"]];
    for (const format of [json, { kind: "csv", cells: ["plain", "text", "text", "text", "text"] } satisfies LineFormat]) {
      const whole = await linesOf(query(rows), format, (c) => [c]);
      const bytewise = await linesOf(query(rows), format, (c) => [...c].map((b) => Buffer.from([b])));
      expect(bytewise).toEqual(whole);
      expect(whole.count).toBe(3);
    }
  });
});
