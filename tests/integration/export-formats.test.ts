import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField } from "@/lib/domain/csv";

// The exports' lines are written by PostgreSQL (csv_cell, iso_utc); the reports' by lib/domain/csv.ts.
// The two sides must agree on every input, or the same text would export differently.
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
).filter((s) => !s.includes("\u0000"));

describe("SQL and TypeScript write the same CSV cells and times", () => {
  it("csv_cell(text) equals csvField(text), and csv_cell(NULL) is an empty cell", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 40 }), async (values) => {
        const { rows } = await client.query<{ cell: string }>("SELECT csv_cell(v) AS cell FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n", [values]);
        expect(rows.map((r) => r.cell)).toEqual(values.map(csvField));
      }),
      { numRuns: 60 },
    );
    expect((await client.query("SELECT csv_cell(NULL) AS cell")).rows[0].cell).toBe("");
  });

  it("iso_utc(timestamptz) equals Date.toISOString()", async () => {
    const dates = fc.sample(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59.999Z"), noInvalidDate: true }), 200);
    const { rows } = await client.query<{ iso: string }>("SELECT iso_utc(t) AS iso FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(t, n) ORDER BY n", [dates.map((d) => d.toISOString())]);
    expect(rows.map((r) => r.iso)).toEqual(dates.map((d) => d.toISOString()));
  });
});
