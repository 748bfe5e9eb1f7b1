import { z } from "zod";
import { dayAfter, dayParam, parseDay, parseSearchParams, type Params } from "./search-params";

// The metrics page's query string (/metrics): a range of whole UTC days, the last one included.

const DAY = 86_400_000;
const metricsSchema = z.object({ from: dayParam, to: dayParam });

/**
 * The chosen days, or the 90 days up to `today`; a range that runs backwards falls back too.
 * `end` is the instant after the last day, the half-open bound the queries take.
 */
export function parseMetricsParams(params: Params, today: Date): { from: Date; to: Date; end: Date } {
  const parsed = parseSearchParams(metricsSchema, params);
  const to = (parsed.to && parseDay(parsed.to)) || today;
  const fromDefault = new Date(Math.max(to.getTime() - 89 * DAY, 0));
  const from = (parsed.from && parseDay(parsed.from)) || fromDefault;
  return { from: from <= to ? from : fromDefault, to, end: dayAfter(to) };
}
