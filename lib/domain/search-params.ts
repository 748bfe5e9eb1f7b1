import type { z } from "zod";

type Params = Record<string, string | string[] | undefined>;

/**
 * Filters from a page's query string. A malformed value is dropped rather than failing the page,
 * so a bookmarked or hand-edited address still opens with the filters that do make sense.
 */
export function parseSearchParams<S extends z.ZodObject>(schema: S, params: Params): z.infer<S> {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data;
  const good: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const one = field.safeParse(flat[key]);
    if (one.success && one.data !== undefined) good[key] = one.data;
  }
  return good as z.infer<S>;
}

/** An empty form field means "no filter". */
export const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
