import { describe, expect, it } from "vitest";
import { containsPattern, likeText } from "@/lib/domain/contains-pattern";
import { changeNumberIn, historyFiltersSchema, historyRange } from "@/lib/domain/history-filters";

describe("history search filters", () => {
  it("reads the text as one line: a pasted line break or tab becomes a space", () => {
    expect(historyFiltersSchema.parse({ q: " rotate\r\nthe\tkeys " }).q).toBe("rotate the keys");
    expect(historyFiltersSchema.parse({ q: "\n\n" }).q).toBe("");
    expect(historyFiltersSchema.parse({ q: "" }).q).toBeUndefined();
    expect(historyFiltersSchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
    expect(historyFiltersSchema.parse({ q: ` ${"x".repeat(200)}\n` }).q).toHaveLength(200);
  });

  it("matches the user's own % and _ literally", () => {
    expect(containsPattern("100%_a\\b")).toBe("%100\\%\\_a\\\\b%");
    expect(likeText("100%_a\\b")).toBe("100\\%\\_a\\\\b");
  });

  it("reads a change number in the forms people type", () => {
    expect(changeNumberIn("CHG-000123")).toBe(123);
    expect(changeNumberIn("chg123")).toBe(123);
    expect(changeNumberIn(" 123 ")).toBe(123);
    expect(changeNumberIn("CHG-12a")).toBeNull();
  });

  it("takes the whole of the last day", () => {
    expect(historyRange({ from: "2026-11-01", to: "2026-11-30" })).toEqual({
      from: new Date("2026-11-01T00:00:00Z"),
      until: new Date("2026-12-01T00:00:00Z"),
    });
  });
});
