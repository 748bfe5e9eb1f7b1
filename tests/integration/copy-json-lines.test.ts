import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LineFormat } from "@/lib/server/exports/binary-copy-lines";
import { bytewise, linesOf } from "../support/copy-lines-from-postgres";

// The exports' JSON Lines are written from PostgreSQL's binary COPY of text columns
// (json-line-writer.ts): each line must hold what JSON.stringify of the row would.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

describe("JSON Lines written from a binary COPY of text columns", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 24 }).filter((s) => !s.includes("\u0000") && !/[\uD800-\uDFFF]/.test(s));
  const json: LineFormat = {
    kind: "json",
    fields: [
      { key: "n", raw: true },
      { key: "text", raw: false },
      { key: "maybe", raw: false },
      { key: "doc", raw: true },
      { key: "tags", raw: true },
    ],
  };
  const query = (rows: [string, string | null][]) => {
    const literal = (values: (string | null)[]) =>
      `ARRAY[${values.map((v) => (v === null ? "NULL" : client.escapeLiteral(v))).join(", ")}]::text[]`;
    return `COPY (SELECT t.n::text, a, b, jsonb_build_object('a', a, 'n', t.n)::text, to_json(ARRAY[a, b])::text
      FROM unnest(${literal(rows.map((r) => r[0]))}, ${literal(rows.map((r) => r[1]))}) WITH ORDINALITY AS t(a, b, n) ORDER BY t.n) TO STDOUT (FORMAT binary)`;
  };

  it("holds the same values as JSON.stringify of each row, any text, NULLs, nested JSON and arrays", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(anyText, fc.option(anyText, { nil: null })), { minLength: 1, maxLength: 20 }), async (pairs) => {
        const { text, count } = await linesOf(client, query(pairs), json, (c) => [c]);
        expect(count).toBe(pairs.length);
        expect(text.endsWith("\n")).toBe(true);
        const parsed = text
          .slice(0, -1)
          .split("\n")
          .map((line) => JSON.parse(line));
        expect(parsed).toEqual(pairs.map(([a, b], i) => ({ n: i + 1, text: a, maybe: b, doc: { a, n: i + 1 }, tags: [a, b] })));
      }),
      { numRuns: 60 },
    );
  });

  it("writes the same file however PostgreSQL's stream is cut, down to one byte at a time, in both formats", async () => {
    const rows: [string, string | null][] = [
      ["plain", null],
      ['quote " and \\ back', "tab\tnew\nline"],
      ["=ünïcödé €", "\u0001,"],
    ];
    for (const format of [json, { kind: "csv", cells: ["plain", "text", "text", "text", "text"] } satisfies LineFormat]) {
      const whole = await linesOf(client, query(rows), format, (c) => [c]);
      const oneByOne = await linesOf(client, query(rows), format, bytewise);
      expect(oneByOne).toEqual(whole);
      expect(whole.count).toBe(3);
    }
  });
});
