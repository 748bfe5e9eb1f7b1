import { describe, expect, it } from "vitest";
import { DATABASE_BUSY, DatabaseBusyError, isDatabaseBusy, refuseWhenBusy } from "@/lib/server/db/database-busy";

// The shapes the drivers give these errors (the integration test database-busy.test.ts raises the real ones).
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "ERROR" });

describe("isDatabaseBusy", () => {
  it.each([
    ["pg's lock timeout", pgError("55P03", "canceling statement due to lock timeout")],
    ["pg's statement timeout", pgError("57014", "canceling statement due to statement timeout")],
    [
      "Prisma's adapter error, nested",
      Object.assign(new Error("Raw query failed"), {
        code: "P2010",
        meta: { driverAdapterError: { cause: { originalCode: "55P03", kind: "postgres" } } },
      }),
    ],
    ["a cause chain", new Error("outer", { cause: new Error("middle", { cause: pgError("57014", "canceling") }) })],
    [
      "Prisma's transaction that found no connection",
      Object.assign(new Error("Unable to start a transaction in the given time."), { code: "P2028" }),
    ],
    ["pg.Pool's acquire timeout", new Error("timeout exceeded when trying to connect")],
    ["the portal's own", new DatabaseBusyError()],
  ])("is busy: %s", (_label, error) => {
    expect(isDatabaseBusy(error)).toBe(true);
  });

  it.each([
    ["a unique violation", pgError("23505", "duplicate key value violates unique constraint")],
    ["a syntax error", pgError("42601", "syntax error")],
    ["a plain error", new Error("boom")],
    ["not an error", "55P03"],
    ["null", null],
  ])("is not busy: %s", (_label, error) => {
    expect(isDatabaseBusy(error)).toBe(false);
  });

  it("survives a cycle of causes", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    a.cause = new Error("b", { cause: a });
    expect(isDatabaseBusy(a)).toBe(false);
  });
});

describe("refuseWhenBusy", () => {
  it("turns busy into a refusal the user can act on, and lets any other error through", async () => {
    expect(await refuseWhenBusy(() => Promise.reject(pgError("55P03", "lock timeout")))).toEqual({
      ok: false,
      message: DATABASE_BUSY,
      kind: "busy",
    });
    await expect(refuseWhenBusy(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });
});
