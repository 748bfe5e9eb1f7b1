import { z } from "zod";
import { CHANGE_STATES } from "./change-states";
import { CHANGE_TYPES } from "./change-types";
import { FRAMEWORK_TAGS } from "./change-input";
import { DAY_MESSAGE, dayAfter, decodeTimeCursor, optionalParam, parseDay, parseSearchParams, type Params } from "./search-params";

// The auditor's history search: one set of filters for both views (changes and audit events) and
// for their exports, so an export holds exactly what the page showed.

export const HISTORY_VIEWS = ["changes", "events"] as const;
export type HistoryView = (typeof HISTORY_VIEWS)[number];

const day = z.string().refine((d) => parseDay(d) !== null, DAY_MESSAGE);
const optional = optionalParam;

export const historyFiltersSchema = z.object({
  from: optional(day),
  to: optional(day),
  type: optional(z.enum(CHANGE_TYPES)),
  state: optional(z.enum(CHANGE_STATES)),
  ci: optional(z.uuid()),
  actor: optional(z.uuid()),
  action: optional(z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/)),
  tag: optional(z.enum(FRAMEWORK_TAGS as [string, ...string[]])),
  // One line: control characters (a pasted line break) become spaces. The event search relies on
  // it (lib/server/history/history-query.ts).
  q: optional(
    z
      .string()
      .transform((s) => s.replace(/\p{Cc}+/gu, " ").trim())
      .pipe(z.string().max(200)),
  ),
});
export type HistoryFilters = z.infer<typeof historyFiltersSchema>;

export const HISTORY_FILTER_KEYS = Object.keys(historyFiltersSchema.shape) as (keyof HistoryFilters)[];

// The history page's own parameters: the view, and its keyset cursor (a time and id for changes,
// an audit seq for events).
const historyPageSchema = historyFiltersSchema.extend({
  view: optional(z.enum(HISTORY_VIEWS)).default("changes"),
  after: optional(z.string().refine((s) => decodeTimeCursor(s) !== null || /^[1-9]\d{0,17}$/.test(s))),
});
export type HistoryPageParams = z.infer<typeof historyPageSchema>;

export function parseHistoryParams(params: Params): HistoryPageParams {
  const parsed = parseSearchParams(historyPageSchema, params);
  return { ...parsed, view: parsed.view ?? "changes" };
}

/** The date range as a half-open UTC interval: `to` includes the whole of its day. */
export function historyRange(filters: Pick<HistoryFilters, "from" | "to">): { from: Date | null; until: Date | null } {
  const from = filters.from ? parseDay(filters.from) : null;
  const to = filters.to ? parseDay(filters.to) : null;
  return { from, until: to ? dayAfter(to) : null };
}

/** Only the filters that are set, as plain strings: what a manifest records and a link keeps. */
export function activeFilters(filters: HistoryFilters): Record<string, string> {
  return Object.fromEntries(HISTORY_FILTER_KEYS.flatMap((k) => (filters[k] ? [[k, String(filters[k])]] : [])));
}

/** "CHG-000123", "chg-123" or "123" names change number 123. */
export function changeNumberIn(text: string): number | null {
  const match = /^(?:chg-?)?0*(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}
