import { z } from "zod";
import { CHANGE_STATES } from "./change-states";
import { CHANGE_TYPES } from "./change-types";
import { FRAMEWORK_TAGS } from "./change-input";
import { blankToUndefined } from "./search-params";

// The auditor's history search: one set of filters for both views (changes and audit events) and
// for their exports, so an export holds exactly what the page showed.

export const HISTORY_VIEWS = ["changes", "events"] as const;
export type HistoryView = (typeof HISTORY_VIEWS)[number];

const day = z.string().regex(/^\d{4}-\d\d-\d\d$/, "Use a date like 2026-11-23.").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "Not a calendar date.");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

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
  q: optional(z.string().transform((s) => s.replace(/\p{Cc}+/gu, " ").trim()).pipe(z.string().max(200))),
});
export type HistoryFilters = z.infer<typeof historyFiltersSchema>;

export const HISTORY_FILTER_KEYS = Object.keys(historyFiltersSchema.shape) as (keyof HistoryFilters)[];

/** The date range as a half-open UTC interval: `to` includes the whole of its day. */
export function historyRange(filters: Pick<HistoryFilters, "from" | "to">): { from: Date | null; until: Date | null } {
  const from = filters.from ? new Date(`${filters.from}T00:00:00Z`) : null;
  const until = filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000) : null;
  return { from, until };
}

/** Only the filters that are set, as plain strings: what a manifest records and a link keeps. */
export function activeFilters(filters: HistoryFilters): Record<string, string> {
  return Object.fromEntries(HISTORY_FILTER_KEYS.flatMap((k) => (filters[k] ? [[k, String(filters[k])]] : [])));
}

/** "%text%" for ILIKE, with the user's own % and _ matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** "CHG-000123", "chg-123" or "123" names change number 123. */
export function changeNumberIn(text: string): number | null {
  const match = /^(?:chg-?)?0*(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}
