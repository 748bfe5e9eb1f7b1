import { z } from "zod";
import { isUuid } from "./is-uuid";

// The building blocks of every page's query-string parser (one parser per page or area, e.g.
// change-list-params.ts, admin-list-params.ts): whatever a hostile address holds, a parser gives
// back the filters it can use and drops the rest, and never lets a value reach the database that
// PostgreSQL would refuse (a NUL byte, a year 0, an id that is not a uuid).

export type Params = Record<string, string | string[] | undefined>;

/** The longest free text a filter keeps. */
export const TEXT_PARAM_MAX = 200;

// Dates a filter or cursor may name: JS Date, PostgreSQL's timestamptz and a four-digit ISO year
// all hold them, so a year 0 or 10000 never reaches a query.
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const LATEST_INSTANT = new Date(LATEST_MS);
const inRange = (ms: number) => ms >= EARLIEST_MS && ms <= LATEST_MS;

/**
 * A page's parameters. A repeated parameter (`?q=a&q=b`) counts by its first value, as a form that
 * sends each field once would; a malformed value is dropped, so a bookmarked or hand-edited
 * address still opens with the filters that do make sense.
 */
export function parseSearchParams<S extends z.ZodObject>(schema: S, params: Params): z.infer<S> {
  const flat = firstValues(params);
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data;
  const good: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const one = field.safeParse(flat[key]);
    if (one.success && one.data !== undefined) good[key] = one.data;
  }
  // Fields with a default fall back to it.
  const defaults = schema.safeParse(good);
  return (defaults.success ? defaults.data : good) as z.infer<S>;
}

export function firstValues(params: Params): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** Names of the parameters given more than once, for a request that must refuse them. */
export function repeatedParams(search: URLSearchParams): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const key of search.keys()) (seen.has(key) ? repeated : seen).add(key);
  return [...repeated];
}

/** An empty form field means "no filter". */
export const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Free text on one line: control characters (NUL, a pasted line break) become spaces; capped. */
export function cleanText(text: string, max = TEXT_PARAM_MAX): string {
  return text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max)
    .trim();
}

/** A search box: cleaned and cut to `max`; nothing left means no filter. */
export const textParam = (max = TEXT_PARAM_MAX) =>
  z.preprocess((v) => (typeof v === "string" ? cleanText(v, max) || undefined : v), z.string().optional());

/** "2026-11-23" as midnight UTC, if it is a real calendar day between 1970 and 9999. */
export function parseDay(text: string): Date | null {
  if (!/^\d{4}-\d\d-\d\d$/.test(text)) return null;
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text && inRange(at.getTime()) ? at : null;
}

export const DAY_MESSAGE = "Use a real date between 1970-01-01 and 9999-12-31, like 2026-11-23.";
export const dayParam = optionalParam(z.string().refine((s) => parseDay(s) !== null, DAY_MESSAGE));

/** The day after `day`, capped at the last instant a filter may name. */
export function dayAfter(day: Date): Date {
  return new Date(Math.min(day.getTime() + 86_400_000, LATEST_MS));
}

export type TimeCursor = { at: Date; id: string };

/** A keyset cursor "<ISO time>_<uuid>" as written by encodeTimeCursor, or null if it is anything else. */
export function decodeTimeCursor(text: string | undefined | null): TimeCursor | null {
  if (!text || text.length > 80) return null;
  const cut = text.indexOf("_");
  const iso = text.slice(0, cut);
  const id = text.slice(cut + 1);
  if (cut < 0 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso) || !isUuid(id)) return null;
  const at = new Date(iso);
  return !Number.isNaN(at.getTime()) && at.toISOString() === iso && inRange(at.getTime()) ? { at, id: id.toLowerCase() } : null;
}

export const encodeTimeCursor = (at: Date, id: string) => `${at.toISOString()}_${id}`;

export const timeCursorParam = optionalParam(z.string().refine((s) => decodeTimeCursor(s) !== null));
export const uuidParam = optionalParam(z.string().refine(isUuid));
/** A positive whole number a bigint or an integer column holds (an audit seq, a checkpoint id). */
export const idNumberParam = optionalParam(
  z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
);
