import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { to as copyTo } from "pg-copy-streams";
import { csvRow } from "@/lib/domain/csv";
import { BinaryCopyLines, type LineFormat } from "@/lib/server/exports/binary-copy-lines";

// The exports' CSV records are written from PostgreSQL's binary COPY by BinaryCopyLines; the
// reports' by lib/domain/csv.ts. Both must write the same bytes for the same text, or the same value
// would export differently. Times and UUIDs, sent in binary: against toISOString and PostgreSQL's own text.
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

  it("a binary timestamp is written as Date.toISOString() writes it, a binary uuid as PostgreSQL writes it, in CSV and JSON", async () => {
    // Before and after 2000 (PostgreSQL's epoch), beyond ±285 years of it, on one day and across days.
    const dates = [
      ...fc.sample(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59.999Z"), noInvalidDate: true }), 200),
      ...Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 11, 2, 23, 59, 58) + i * 77)),
      new Date("1999-12-31T23:59:59.999Z"),
      new Date("2000-01-01T00:00:00.000Z"),
      new Date("1700-06-30T12:00:00.001Z"),
    ];
    const uuids = dates.map(() => crypto.randomUUID());
    const literal = (values: string[], type: string) => `ARRAY[${values.map((v) => client.escapeLiteral(v)).join(", ")}]::${type}[]`;
    const copy = `COPY (SELECT t, u, t FROM unnest(${literal(
      dates.map((d) => d.toISOString()),
      "timestamptz",
    )}, ${literal(uuids, "uuid")})
      WITH ORDINALITY AS x(t, u, n) ORDER BY n) TO STDOUT (FORMAT binary)`;
    const csv = await linesOf(copy, { kind: "csv", cells: ["time", "uuid", "time"] }, (c) => [c]);
    expect(csv.text).toBe(dates.map((d, i) => csvRow([d.toISOString(), uuids[i]!, d.toISOString()])).join(""));
    const json = await linesOf(
      copy,
      {
        kind: "json",
        fields: [
          { key: "at", raw: false, binary: "time" },
          { key: "id", raw: false, binary: "uuid" },
          { key: "again", raw: false, binary: "time" },
        ],
      },
      (c) => [...c].map((b) => Buffer.from([b])),
    );
    expect(
      json.text
        .slice(0, -1)
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(dates.map((d, i) => ({ at: d.toISOString(), id: uuids[i], again: d.toISOString() })));
  });

  it("drops microseconds as to_char's MS did, writes NULL times and uuids as empty cells and null, and refuses a text column declared binary", async () => {
    const copy = `COPY (SELECT t, NULL::uuid FROM unnest(ARRAY['2026-12-02 10:11:12.345678+00', '1999-12-31 23:59:59.999999+00', NULL]::timestamptz[]) WITH ORDINALITY AS x(t, n) ORDER BY n) TO STDOUT (FORMAT binary)`;
    const csv = await linesOf(copy, { kind: "csv", cells: ["time", "uuid"] }, (c) => [c]);
    expect(csv.text).toBe("2026-12-02T10:11:12.345Z,\r\n1999-12-31T23:59:59.999Z,\r\n,\r\n");
    const json = await linesOf(
      copy,
      {
        kind: "json",
        fields: [
          { key: "at", raw: false, binary: "time" },
          { key: "id", raw: false, binary: "uuid" },
        ],
      },
      (c) => [c],
    );
    expect(json.text).toBe(
      '{"at":"2026-12-02T10:11:12.345Z","id":null}\n{"at":"1999-12-31T23:59:59.999Z","id":null}\n{"at":null,"id":null}\n',
    );
    const text = `COPY (SELECT now()::text) TO STDOUT (FORMAT binary)`;
    await expect(linesOf(text, { kind: "csv", cells: ["time"] }, (c) => [c])).rejects.toThrow("Column 1 is not a binary timestamp.");
  });
});

/** The file BinaryCopyLines writes from a binary COPY, each chunk cut as `cut` says. */
async function linesOf(sql: string, format: LineFormat, cut: (chunk: Buffer) => Buffer[]) {
  const lines = new BinaryCopyLines(format);
  const parts: Buffer[] = [];
  let count = 0;
  for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
    for (const piece of cut(chunk)) {
      count += lines.push(piece);
      parts.push(lines.take());
    }
  }
  expect(lines.ended).toBe(true);
  return { text: Buffer.concat(parts).toString("utf8"), count };
}

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
        const { text, count } = await linesOf(query(pairs), json, (c) => [c]);
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

  it("writes the same file however the stream is cut, down to one byte at a time, in both formats", async () => {
    const rows: [string, string | null][] = [
      ["plain", null],
      ['quote " and \\ back', "tab\tnew\nline"],
      ["=ünïcödé €", "\u0001,"],
    ];
    for (const format of [json, { kind: "csv", cells: ["plain", "text", "text", "text", "text"] } satisfies LineFormat]) {
      const whole = await linesOf(query(rows), format, (c) => [c]);
      const bytewise = await linesOf(query(rows), format, (c) => [...c].map((b) => Buffer.from([b])));
      expect(bytewise).toEqual(whole);
      expect(whole.count).toBe(3);
    }
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
    const expected: Buffer[] = [];
    for await (const chunk of client.query(copyTo(sql("FORMAT csv"))) as AsyncIterable<Buffer>) expected.push(chunk);
    const file = Buffer.concat(views).toString("utf8");
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(count).toBe(20000);
    expect(file).toBe(Buffer.concat(expected).toString("utf8").replace(/\n/g, "\r\n"));
  });
});
