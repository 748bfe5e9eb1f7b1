import { z } from "zod";
import { CHANGE_TYPES } from "./change-types";
import { RISK_LEVELS } from "./risk-levels";
import { decodeTimeCursor, optionalParam, parseSearchParams, textParam, type Params } from "./search-params";
import { isUuid } from "./is-uuid";

// The CAB queue's query string (/cab). Its cursor depends on the sort: a risk score and an id,
// or a planned start and an id.

export const CAB_SORTS = ["risk", "start"] as const;

const cabQueueSchema = z.object({
  sort: optionalParam(z.enum(CAB_SORTS)).default("risk"),
  type: optionalParam(z.enum(CHANGE_TYPES)),
  risk: optionalParam(z.enum(RISK_LEVELS)),
  ci: textParam(120),
  after: optionalParam(z.string().max(80)),
});
export type CabQueueFilters = z.infer<typeof cabQueueSchema>;

/** A risk-sorted cursor: a score a smallint holds, then the row's id. */
export function decodeRiskCursor(text: string | undefined): { score: number; id: string } | null {
  const match = /^(\d{1,5})_(.+)$/.exec(text ?? "");
  if (!match || !isUuid(match[2]!) || Number(match[1]) > 32_767) return null;
  return { score: Number(match[1]), id: match[2]! };
}

export function parseCabQueueParams(params: Params): CabQueueFilters {
  const parsed = parseSearchParams(cabQueueSchema, params);
  const sort = parsed.sort ?? "risk";
  const fits = sort === "risk" ? decodeRiskCursor(parsed.after) !== null : decodeTimeCursor(parsed.after) !== null;
  return { ...parsed, sort, after: fits ? parsed.after : undefined };
}
