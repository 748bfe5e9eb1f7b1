import { z } from "zod";
import { parseSearchParams, textParam, type Params } from "./search-params";

// The DORA section's filters on /metrics: one environment (production unless another, or all, is
// chosen: DORA's figures are about production) and optionally one CI, as the pipelines name them.

export const ALL_ENVIRONMENTS = "all";
const schema = z.object({ env: textParam(100), ci: textParam(200) });

export function parseDoraParams(params: Params): { env: string; environment?: string; ciName?: string } {
  const { env, ci } = parseSearchParams(schema, params);
  const chosen = env ?? "production";
  return { env: chosen, environment: chosen === ALL_ENVIRONMENTS ? undefined : chosen, ciName: ci };
}
