import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseAdminDetailParams,
  parseCiListParams,
  parseFreezeListParams,
  parseMailboxParams,
  parseTemplateListParams,
  parseUserListParams,
} from "@/lib/domain/admin-list-params";
import { decodeRiskCursor, parseCabQueueParams } from "@/lib/domain/cab-queue-params";
import { parseCalendarParams } from "@/lib/domain/calendar-params";
import { parseChangeFilters, parseChangePageParams } from "@/lib/domain/change-list-params";
import { historyFiltersSchema, historyRange, parseHistoryParams } from "@/lib/domain/history-filters";
import { parseMetricsParams } from "@/lib/domain/metrics-params";
import { NUL_MESSAGE, safeParseInput, SURROGATE_MESSAGE } from "@/lib/domain/parse-input";
import {
  parseCheckpointListParams,
  parseInboxParams,
  parseReportParams,
  parseSecurityQueueParams,
  parseWorkQueueParams,
} from "@/lib/domain/queue-params";
import {
  cleanText,
  decodeTimeCursor,
  encodeTimeCursor,
  parseDay,
  repeatedParams,
  TEXT_PARAM_MAX,
  type Params,
} from "@/lib/domain/search-params";
import { z } from "zod";

const UUID = "0b0e7b7e-3f4c-4c6a-9c1a-5a1f0f6d2b11";
const CURSOR = `2026-11-23T10:15:00.000Z_${UUID}`;
const IMPOSSIBLE_CURSORS = [
  `9999-99-99T99:99:99.000Z_${UUID}`,
  `0000-01-01T00:00:00.000Z_${UUID}`,
  `2026-02-30T00:00:00.000Z_${UUID}`,
  `2026-01-01T25:00:00.000Z_${UUID}`,
  `2026-01-01T00:00:00.000Z_${"-".repeat(36)}`,
  `2026-01-01T00:00:00.000Z_${"f".repeat(36)}`,
  `+275760-09-13T00:00:00.000Z_${UUID}`,
  "a\u0000b",
  "x".repeat(3000),
  "",
];

// Every page parser, with the values that answered 500 before: none may throw, and none may hand
// the database a value it refuses.
const PARSERS: [string, (p: Params) => unknown][] = [
  ["changes", parseChangeFilters],
  ["change page", parseChangePageParams],
  ["cab", parseCabQueueParams],
  ["calendar", parseCalendarParams],
  ["users", parseUserListParams],
  ["cis", parseCiListParams],
  ["templates", parseTemplateListParams],
  ["freezes", parseFreezeListParams],
  ["mailbox", parseMailboxParams],
  ["admin detail", parseAdminDetailParams],
  ["history", parseHistoryParams],
  ["metrics", (p) => parseMetricsParams(p, new Date("2026-12-07T00:00:00Z"))],
  ["inbox", parseInboxParams],
  ["work", parseWorkQueueParams],
  ["checkpoints", parseCheckpointListParams],
  ["report", parseReportParams],
  ["security", parseSecurityQueueParams],
];

describe("the shared pieces", () => {
  it("reads a day only if it is a real calendar day between 1970 and 9999", () => {
    expect(parseDay("2026-11-23")?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(parseDay("9999-12-31")?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
    for (const bad of ["0000-01-01", "1969-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "2026-1-1", "-001-01-01", "", "abc"])
      expect(parseDay(bad), bad).toBeNull();
  });

  it("decodes a cursor only if its time and id both really parse", () => {
    expect(decodeTimeCursor(CURSOR)).toEqual({ at: new Date("2026-11-23T10:15:00.000Z"), id: UUID });
    expect(decodeTimeCursor(encodeTimeCursor(new Date(0), UUID))).not.toBeNull();
    for (const bad of IMPOSSIBLE_CURSORS) expect(decodeTimeCursor(bad), bad).toBeNull();
  });

  it("decodes a risk cursor only if the score fits a smallint", () => {
    expect(decodeRiskCursor(`73_${UUID}`)).toEqual({ score: 73, id: UUID });
    for (const bad of [`99999_${UUID}`, `-1_${UUID}`, `1.5_${UUID}`, `1e400_${UUID}`, `5_${"-".repeat(36)}`, CURSOR])
      expect(decodeRiskCursor(bad), bad).toBeNull();
  });

  it("keeps typed text on one line, without control characters, and capped", () => {
    expect(cleanText(" a\u0000b\r\n\tc\u007f ")).toBe("a b c");
    expect(cleanText("x".repeat(5000))).toHaveLength(TEXT_PARAM_MAX);
  });

  it("names the parameters given more than once", () => {
    expect(repeatedParams(new URLSearchParams("q=a&q=b&from=1&to=2&to=3"))).toEqual(["q", "to"]);
  });

  it("refuses a NUL anywhere in a use case's input, on its field, before the schema", () => {
    const schema = z.object({ title: z.string(), tags: z.array(z.string()) });
    const refused = safeParseInput(schema, { title: "ok", tags: ["a", "b\u0000"] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues).toEqual([expect.objectContaining({ path: ["tags", 1], message: NUL_MESSAGE })]);
    expect(safeParseInput(schema, { title: "ok", tags: [] }).success).toBe(true);
  });

  it("refuses a lone surrogate (which PostgreSQL cannot store) on its field, and keeps whole emoji", () => {
    const schema = z.object({ name: z.string() });
    const refused = safeParseInput(schema, { name: "db-\ud800" });
    expect(refused.error?.issues).toEqual([expect.objectContaining({ path: ["name"], message: SURROGATE_MESSAGE })]);
    expect(safeParseInput(schema, { name: "\udc00x" }).success).toBe(false);
    expect(safeParseInput(schema, { name: "db-\ud83d\ude80" }).success).toBe(true);
  });
});

describe("each page's parser", () => {
  it("never throws, whatever the query string holds", () => {
    const value = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.constantFrom(...IMPOSSIBLE_CURSORS, "0000-01-01", "9999-12-31", "10000-01-01"),
    );
    const params = fc.dictionary(
      fc.constantFrom(
        "q",
        "after",
        "from",
        "to",
        "date",
        "view",
        "sort",
        "type",
        "state",
        "risk",
        "ci",
        "env",
        "actor",
        "action",
        "tag",
        "status",
        "past",
        "eventsBefore",
        "commentsBefore",
        "done",
        "created",
      ),
      fc.oneof(value, fc.array(value, { maxLength: 3 })),
    );
    fc.assert(
      fc.property(params, (p) => {
        for (const [, parse] of PARSERS) parse(p);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS || 50) },
    );
  }, 60_000);

  it("drops impossible cursors and takes the first of repeated parameters", () => {
    for (const after of IMPOSSIBLE_CURSORS) {
      // Users, CIs and reports page by a name, an email or a text key: any text without NUL.
      for (const [name, parse] of PARSERS.filter(([n]) => !["users", "cis", "report"].includes(n)))
        expect((parse({ after, commentsBefore: after }) as { after?: unknown }).after, `${name}: ${after.slice(0, 40)}`).toBeUndefined();
    }
    expect(parseChangeFilters({ q: ["first", "second"], after: [CURSOR, "x"] })).toEqual({ q: "first", after: CURSOR });
    expect(parseUserListParams({ q: ["a", "b"] })).toEqual({ q: "a" });
    expect(parseInboxParams({ after: [CURSOR, CURSOR] })).toEqual({ after: CURSOR });
    expect(parseMailboxParams({ after: [CURSOR, "x"], other: "y" })).toEqual({ after: CURSOR });
  });

  it("strips NUL and control characters from the text filters and caps them", () => {
    expect(parseChangeFilters({ q: "a\u0000b" }).q).toBe("a b");
    expect(parseCabQueueParams({ ci: "\u0000" }).ci).toBeUndefined();
    expect(parseCalendarParams({ env: "prod\u0000", ci: "x".repeat(500) })).toMatchObject({ env: "prod", ci: "x".repeat(120) });
    expect(parseUserListParams({ q: "ada\u0000" }).q).toBe("ada");
    expect(parseCiListParams({ q: "\u0000\u0001" }).q).toBeUndefined();
    expect(parseTemplateListParams({ q: "x".repeat(5000), status: "nonsense" })).toEqual({ q: "x".repeat(TEXT_PARAM_MAX) });
    expect(parseUserListParams({ after: "a\u0000" }).after).toBeUndefined();
    expect(parseReportParams({ after: "000000000012\u0000" }).after).toBeUndefined();
  });

  it("keeps the good filters when others are bad, and the defaults", () => {
    expect(parseCabQueueParams({ sort: "start", type: "nonsense", after: CURSOR })).toEqual({ sort: "start", after: CURSOR });
    // A cursor of the other sort is not used.
    expect(parseCabQueueParams({ sort: "risk", after: CURSOR }).after).toBeUndefined();
    expect(parseCabQueueParams({ after: `12_${UUID}` })).toMatchObject({ sort: "risk", after: `12_${UUID}` });
    expect(parseCalendarParams({ view: "bogus", date: "2026-02-30" })).toEqual({ view: "month" });
    expect(parseCalendarParams({ date: "9999-12-31" }).date).toBeUndefined();
    expect(parseHistoryParams({ view: ["events", "changes"], after: "123", from: "0000-01-01" })).toEqual({ view: "events", after: "123" });
    expect(parseCheckpointListParams({ after: "99999999999999999999" }).after).toBeUndefined();
    expect(parseCheckpointListParams({ after: "42" }).after).toBe(42);
    expect(parseWorkQueueParams({ after: "-".repeat(36) }).after).toBeUndefined();
    expect(parseChangePageParams({ eventsBefore: "99999999999999999999", done: "vote" })).toEqual({ done: "vote" });
  });

  it("gives metrics a range whose end a timestamp can hold", () => {
    const today = new Date("2026-12-07T00:00:00Z");
    expect(parseMetricsParams({ from: "0000-01-01", to: "2026-12-01" }, today).from.toISOString()).toBe("2026-09-03T00:00:00.000Z");
    const far = parseMetricsParams({ to: "9999-12-31" }, today);
    expect(far.end.getUTCFullYear()).toBe(9999);
    expect(parseMetricsParams({ from: "2026-12-05", to: "2026-12-01" }, today).from.toISOString()).toBe("2026-09-03T00:00:00.000Z");
  });

  it("refuses export dates outside 1970-9999, and the last day ends within year 9999", () => {
    expect(historyFiltersSchema.safeParse({ from: "0000-01-01" }).success).toBe(false);
    expect(historyFiltersSchema.safeParse({ to: "2026-02-30" }).success).toBe(false);
    const { until } = historyRange(historyFiltersSchema.parse({ to: "9999-12-31" }));
    expect(until?.toISOString()).toBe("9999-12-31T23:59:59.999Z");
  });
});
