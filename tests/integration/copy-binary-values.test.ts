import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvRow } from "@/lib/domain/csv";
import { bytewise, linesOf } from "../support/copy-lines-from-postgres";

// Times and UUIDs, sent by PostgreSQL in binary (binary-value-writer.ts): against toISOString and
// PostgreSQL's own text.
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

describe("binary times and uuids from PostgreSQL", () => {
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
    const csv = await linesOf(client, copy, { kind: "csv", cells: ["time", "uuid", "time"] }, (c) => [c]);
    expect(csv.text).toBe(dates.map((d, i) => csvRow([d.toISOString(), uuids[i]!, d.toISOString()])).join(""));
    const json = await linesOf(
      client,
      copy,
      {
        kind: "json",
        fields: [
          { key: "at", raw: false, binary: "time" },
          { key: "id", raw: false, binary: "uuid" },
          { key: "again", raw: false, binary: "time" },
        ],
      },
      bytewise,
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
    const csv = await linesOf(client, copy, { kind: "csv", cells: ["time", "uuid"] }, (c) => [c]);
    expect(csv.text).toBe("2026-12-02T10:11:12.345Z,\r\n1999-12-31T23:59:59.999Z,\r\n,\r\n");
    const json = await linesOf(
      client,
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
    await expect(linesOf(client, text, { kind: "csv", cells: ["time"] }, (c) => [c])).rejects.toThrow(
      "Column 1 is not a binary timestamp.",
    );
  });
});
