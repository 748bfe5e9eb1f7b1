import { z } from "zod";
import { CALENDAR_VIEWS } from "./calendar-range";
import { CHANGE_TYPES } from "./change-types";
import { RISK_LEVELS } from "./risk-levels";
import { DAY_MESSAGE, optionalParam, parseDay, parseSearchParams, textParam, timeCursorParam, type Params } from "./search-params";

// The change calendar's query string (/calendar).

const calendarSchema = z.object({
  view: optionalParam(z.enum(CALENDAR_VIEWS)).default("month"),
  // The last month whose grid (whole weeks) still ends within year 9999.
  date: optionalParam(z.string().refine((s) => parseDay(s) !== null && s <= "9999-11-30", DAY_MESSAGE)),
  env: textParam(60),
  ci: textParam(120),
  type: optionalParam(z.enum(CHANGE_TYPES)),
  risk: optionalParam(z.enum(RISK_LEVELS)),
  after: timeCursorParam,
});
export type CalendarFilters = z.infer<typeof calendarSchema>;

export function parseCalendarParams(params: Params): CalendarFilters {
  const parsed = parseSearchParams(calendarSchema, params);
  return { ...parsed, view: parsed.view ?? "month" };
}
