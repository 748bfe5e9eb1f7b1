import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { to as copyTo } from "pg-copy-streams";
import { csvRow } from "@/lib/domain/csv";
import { BinaryCopyLines } from "@/lib/server/exports/binary-copy-lines";
import { linesOf } from "../support/copy-lines-from-postgres";

// The exports' CSV records are written from PostgreSQL's binary COPY (csv-line-writer.ts); the
// reports' by lib/domain/csv.ts. Both must write the same bytes for the same text, or the same value
// would export differently.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

const text = fc
  .oneof(
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.stringMatching(/^[=+\-@\t\r",\n a-z0-9']{0,12}$/),
    fc.constantFrom("", "=SUM(A1)", "-2+3", "@cmd", "\ttab", "\r=1", 'say "hi"', "a,b", "two\r\nlines", "'quoted'"),
  )
  .filter((s) => !s.includes("\u0000") && s !== "\\.");

describe("PostgreSQL and TypeScript write the same CSV", () => {
  it("a CSV record written from the COPY is byte for byte what csvRow writes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }), async (rows) => {
        const literal = (values: string[]) => `ARRAY[${values.map((v) => client.escapeLiteral(v)).join(", ")}]::text[]`;
        const sql = `COPY (SELECT a, t.n::text, b FROM unnest(${literal(rows.map((r) => r[0]))}, ${literal(rows.map((r) => r[1]))})
          WITH ORDINALITY AS t(a, b, n) ORDER BY t.n) TO STDOUT (FORMAT binary)`;
        const { text: written, count } = await linesOf(client, sql, { kind: "csv", cells: ["text", "plain", "text"] }, (c) => [c]);
        expect(written).toBe(rows.map(([a, b], i) => csvRow([a, i + 1, b])).join(""));
        expect(count).toBe(rows.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe("lines handed over while the export goes on", () => {
  it("hands over lines that stay as they were while later rows are written, across megabytes of output", async () => {
    // Each take() is a view of the writer's buffer: the file assembled from views taken chunk by
    // chunk is the file PostgreSQL itself writes as CSV, whatever was written after each view.
    const sql = (format: string) => `COPY (SELECT n::text, repeat(md5(n::text), 1 + n % 7), CASE WHEN n % 5 = 0 THEN 'a "quoted", cell' END
      FROM generate_series(1, 20000) n ORDER BY n) TO STDOUT (${format})`;
    const views: Buffer[] = [];
    const lines = new BinaryCopyLines({ kind: "csv", cells: ["plain", "text", "text"] });
    let count = 0;
    for await (const chunk of client.query(copyTo(sql("FORMAT binary"))) as AsyncIterable<Buffer>) {
      count += lines.push(chunk);
      views.push(lines.take());
    }
    lines.finish();
    const expected: Buffer[] = [];
    for await (const chunk of client.query(copyTo(sql("FORMAT csv"))) as AsyncIterable<Buffer>) expected.push(chunk);
    const file = Buffer.concat(views).toString("utf8");
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(count).toBe(20000);
    expect(file).toBe(Buffer.concat(expected).toString("utf8").replace(/\n/g, "\r\n"));
  });
});
