import { describe, expect, it } from "vitest";
import { statementNames } from "@/lib/server/db/statement-names";

describe("statementNames", () => {
  it("gives one text one name, every time, and different texts different names", () => {
    const name = statementNames();
    const a = name({ sql: "SELECT 1" });
    expect(a).not.toBe("");
    expect(name({ sql: "SELECT 1" })).toBe(a);
    expect(name({ sql: "SELECT 2" })).not.toBe(a);
  });

  it("stops naming new texts at the limit (the empty name runs them unnamed) and keeps the names given", () => {
    const name = statementNames(2);
    const first = name({ sql: "SELECT 1" });
    const second = name({ sql: "SELECT 2" });
    expect(name({ sql: "SELECT 3" })).toBe("");
    expect(name({ sql: "SELECT 3" })).toBe("");
    expect([name({ sql: "SELECT 1" }), name({ sql: "SELECT 2" })]).toEqual([first, second]);
  });

  it("keeps the names of separate clients apart", () => {
    const one = statementNames();
    const other = statementNames(1);
    one({ sql: "SELECT 1" });
    expect(other({ sql: "SELECT 2" })).not.toBe("");
    expect(other({ sql: "SELECT 3" })).toBe("");
  });

  it("leaves a query with a contains-match unnamed however often it runs (planned for each text), and names the rest", () => {
    const name = statementNames();
    const contains = `SELECT id FROM change_requests WHERE "change_requests"."title"::text ilike $1`;
    expect([name({ sql: contains }), name({ sql: contains })]).toEqual(["", ""]);
    expect(name({ sql: "SELECT id FROM change_requests WHERE title = $1" })).not.toBe("");
    expect(name({ sql: "SELECT id FROM users WHERE email LIKE $1" })).not.toBe("");
  });
});
