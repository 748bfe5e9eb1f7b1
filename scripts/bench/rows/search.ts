// The auditor's history search (/audit) with two filters and free text, through `next start` with
// 16 clients, at the small and the large size: cost must not grow with history (p95 ratio <= 1.5).
import pg from "pg";
import { BENCH_AUDITOR_EMAIL } from "../generate-data";
import { measureLoad, type LoadResult } from "../app-server";
import { ms, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

// Two filters and a word that occurs in generated titles and reasons.
const SEARCHES = [
  ["changes", "/audit?view=changes&type=normal&state=closed&q=payments"],
  ["audit events", "/audit?view=events&type=normal&action=change.vote_cast&q=payments"],
] as const;

async function measureSize(ctx: BenchContext, size: BenchSize): Promise<LoadResult[]> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  const auditorId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_AUDITOR_EMAIL]).finally(() => client.end())).rows[0].id as string;
  const server = await ctx.server(size);
  const cookie = await server.cookieFor(auditorId);
  const results: LoadResult[] = [];
  for (const [, pathname] of SEARCHES) {
    const result = await measureLoad(server.url + pathname, cookie, ctx.duration);
    if (result.failures > 0) throw new Error(`${pathname} answered ${result.failures} of ${result.requests} requests with a status other than 200.`);
    ctx.log(`[bench] ${size.changes} changes ${pathname}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}`);
    results.push(result);
  }
  return results;
}

export const searchRows: BenchModule = {
  title: "search",
  async run(ctx) {
    const small = await measureSize(ctx, ctx.small);
    const large = await measureSize(ctx, ctx.large);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    return SEARCHES.map(([label], i): BenchRow => ({
      name: `History search of ${label}, two filters + text, p95 at ${n(ctx.large)} vs ${n(ctx.small)} changes`,
      figure: `p50 ${ms(large[i]!.p50)} / p95 ${ms(large[i]!.p95)}`,
      baseline: `p50 ${ms(small[i]!.p50)} / p95 ${ms(small[i]!.p95)}`,
      ratio: large[i]!.p95 / small[i]!.p95,
      target: "<= 1.5",
    }));
  },
};
