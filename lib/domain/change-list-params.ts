import { z } from "zod";
import { CHANGE_STATES } from "./change-states";
import { CHANGE_TYPES } from "./change-types";
import { RISK_LEVELS } from "./risk-levels";
import { optionalParam, parseSearchParams, textParam, timeCursorParam, type Params } from "./search-params";

// The query strings of the change lists (/changes, /changes/mine) and of one change's page.

export const changeFiltersSchema = z.object({
  q: textParam(),
  type: optionalParam(z.enum(CHANGE_TYPES)),
  state: optionalParam(z.enum(CHANGE_STATES)),
  risk: optionalParam(z.enum(RISK_LEVELS)),
  after: timeCursorParam,
});
export type ChangeFilters = z.infer<typeof changeFiltersSchema>;

export function parseChangeFilters(params: Params): ChangeFilters {
  return parseSearchParams(changeFiltersSchema, params);
}

const changePageSchema = z.object({
  created: optionalParam(z.string()),
  saved: optionalParam(z.string()),
  done: optionalParam(z.string().max(40)),
  // Long histories are paged (keyset): the audit seq and the comment cursor of an earlier page.
  eventsBefore: optionalParam(
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .transform(Number),
  ),
  commentsBefore: timeCursorParam,
});
export type ChangePageParams = z.infer<typeof changePageSchema>;

export function parseChangePageParams(params: Params): ChangePageParams {
  return parseSearchParams(changePageSchema, params);
}
