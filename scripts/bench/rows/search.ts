// The auditor's history search (/audit), two filters with free text and a rare text alone,
// through `next start` with 16 clients, at the small and the large size in alternating rounds:
// cost must not grow with history (p95 ratio <= 1.5).
import pg from "pg";
import { BENCH_AUDITOR_EMAIL } from "../bench-fixtures";
import { measureLoad, type LoadResult } from "../app-server";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

// Two filters and a word that occurs in generated titles and reasons, chosen so that both sizes
// fill a whole page (50 rows: 60 changes and 84 events match at 1,000 changes). With fewer matches
// the small size's page is lighter (26 changes: 128 KB against 215 KB) and the ratio measures that.
// Then a rare text, a change's number, which exists at both sizes: before the text's trigram
// indexes it walked the whole history (the events view ~7 s at 100,000 changes).
const SEARCHES = [
  ["changes, two filters + text", "/audit?view=changes&type=normal&state=closed&q=service"],
  ["audit events, two filters + text", "/audit?view=events&type=normal&action=change.vote_cast&q=payments"],
  ["changes, a change number as text", "/audit?view=changes&q=CHG-000500"],
  ["audit events, a change number as text", "/audit?view=events&q=CHG-000500"],
] as const;

/** The size's server and the auditor's cookie, and a function measuring each search once. */
async function prepareSize(ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<LoadResult[]>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  const auditorId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_AUDITOR_EMAIL]).finally(() => client.end())).rows[0]
    .id as string;
  const server = await ctx.server(size);
  const cookie = await server.cookieFor(auditorId);
  return async (round) => {
    const results: LoadResult[] = [];
    for (const [, pathname] of SEARCHES) {
      const result = await measureLoad(server.url + pathname, cookie, ctx.duration);
      if (result.failures > 0)
        throw new Error(`${pathname} answered ${result.failures} of ${result.requests} requests with a status other than 200.`);
      ctx.log(`[bench] ${size.changes} changes, round ${round + 1}/${ROUNDS}, ${pathname}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}`);
      results.push(result);
    }
    return results;
  };
}

export const searchRows: BenchModule = {
  title: "search",
  async run(ctx) {
    const { small, large } = await inAlternatingRounds(ctx, prepareSize);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    const typical = (rounds: LoadResult[][], i: number) =>
      `p50 ${ms(median(rounds.map((r) => r[i]!.p50)))} / p95 ${ms(median(rounds.map((r) => r[i]!.p95)))}`;
    return SEARCHES.map(([label], i): BenchRow => {
      const ratios = large.map((round, r) => round[i]!.p95 / small[r]![i]!.p95);
      return {
        name: `History search of ${label}, p95 at ${n(ctx.large)} vs ${n(ctx.small)} changes`,
        figure: typical(large, i),
        baseline: typical(small, i),
        ratio: median(ratios),
        target: "<= 1.5",
        note: `median of ${ROUNDS} rounds, sizes alternating; p95 ratios per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}`,
      };
    });
  },
};
