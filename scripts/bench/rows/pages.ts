// Server-rendered pages through `next start`, 16 concurrent clients (autocannon): the CAB queue
// and the page of a change with a 200-event history, beside the floor (app/(portal)/bench-floor),
// on the small and the large database, in rounds (floor, queue, change page in turn, small size then large).
import pg from "pg";
import { BENCH_CAB_EMAIL, LONG_HISTORY_TITLE } from "../bench-fixtures";
import { loadPair, measureLoad, medianLoad, type LoadResult } from "../app-server";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

type Measured = { floor: LoadResult; cab: LoadResult; change: LoadResult };

// Each round measures floor, queue and change page at the small size, then at the large.

/** The size's server, the CAB member's cookie and a function measuring its three pages once. */
async function prepareSize(ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<Measured>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  let userId: string;
  let changeId: string;
  try {
    userId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_CAB_EMAIL])).rows[0].id;
    changeId = (await client.query("SELECT id FROM change_requests WHERE title = $1", [LONG_HISTORY_TITLE])).rows[0].id;
  } finally {
    await client.end();
  }
  const server = await ctx.server(size);
  const cookie = await server.cookieFor(userId);
  const measure = async (pathname: string, round: number) => {
    const result = await measureLoad(server.url + pathname, cookie, ctx.duration, 16, server.pid);
    if (result.failures > 0)
      throw new Error(
        `${pathname} answered ${result.failures} of ${result.requests} requests with a status other than 200; see .data/bench/server-${size.database}.log.`,
      );
    ctx.log(
      `[bench] ${size.changes} changes, round ${round + 1}/${ROUNDS}, ${pathname}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, ${Math.round(result.perSecond)} req/s, server CPU ${result.cpuPerRequest?.toFixed(1)} ms/request`,
    );
    return result;
  };
  return async (round) => ({
    floor: await measure("/bench-floor", round),
    cab: await measure("/cab", round),
    change: await measure(`/changes/${changeId}`, round),
  });
}

/** The median round's latencies of one page. */

export const pageRows: BenchModule = {
  title: "pages",
  async run(ctx: BenchContext) {
    const { small, large } = await inAlternatingRounds(ctx, prepareSize);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    const rows: BenchRow[] = [];
    const note = `median of ${ROUNDS} rounds; p95 ratios per round: `;
    for (const [label, key] of [
      ["CAB queue page", "cab"],
      ["Change page, 200 audit events", "change"],
    ] as const) {
      for (const [size, m] of [
        [ctx.small, small],
        [ctx.large, large],
      ] as const) {
        const ratios = m.map((round) => round[key].p95 / round.floor.p95);
        const [page, floor] = [medianLoad(m, key), medianLoad(m, "floor")];
        const cpu = `; server CPU per request ${page.cpuPerRequest!.toFixed(1)} vs ${floor.cpuPerRequest!.toFixed(1)} ms (${(page.cpuPerRequest! / floor.cpuPerRequest!).toFixed(2)}x)`;
        rows.push({
          name: `${label}, 16 clients (${n(size)} changes) vs floor`,
          figure: loadPair(page),
          baseline: loadPair(floor) + " (floor)",
          ratio: median(ratios),
          target: "<= 3",
          note: note + ratios.map((r) => r.toFixed(2)).join(", ") + cpu,
        });
      }
      const [p95Small, p95Large] = [medianLoad(small, key).p95, medianLoad(large, key).p95];
      const bySize = large.map((round, r) => round[key].p95 / small[r]![key].p95);
      rows.push({
        name: `${label}, p95 at ${n(ctx.large)} vs ${n(ctx.small)} changes`,
        figure: ms(p95Large),
        baseline: ms(p95Small),
        ratio: median(bySize),
        target: "<= 1.5",
        note: `median of ${ROUNDS} rounds, sizes alternating; p95 ratios per round: ${bySize.map((x) => x.toFixed(2)).join(", ")}`,
      });
    }
    return rows;
  },
};
