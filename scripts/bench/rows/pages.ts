// Server-rendered pages through `next start`, 16 concurrent clients (autocannon): the CAB queue
// and the page of a change with a 200-event history, beside the floor (app/(portal)/bench-floor),
// on the small and the large database, in rounds (floor, queue, change page in turn).
import pg from "pg";
import { BENCH_CAB_EMAIL, LONG_HISTORY_TITLE } from "../generate-data";
import { measureLoad, type LoadResult } from "../app-server";
import { ms, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

type Measured = { floor: LoadResult; cab: LoadResult; change: LoadResult };

// `--rounds N` (default 3): each size measures floor, queue and change page N times in turn and
// the rows report the median, so a burst of load on a shared machine moves one round, not the row.
const roundsArg = process.argv.indexOf("--rounds");
const ROUNDS = roundsArg > 0 ? Math.max(1, Number(process.argv[roundsArg + 1])) : 3;

async function measureSize(ctx: BenchContext, size: BenchSize): Promise<Measured[]> {
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
    if (result.failures > 0) throw new Error(`${pathname} answered ${result.failures} of ${result.requests} requests with a status other than 200; see .data/bench/server.log.`);
    ctx.log(`[bench] ${size.changes} changes, round ${round + 1}/${ROUNDS}, ${pathname}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, ${Math.round(result.perSecond)} req/s, server CPU ${result.cpuPerRequest?.toFixed(1)} ms/request`);
    return result;
  };
  const rounds: Measured[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push({ floor: await measure("/bench-floor", r), cab: await measure("/cab", r), change: await measure(`/changes/${changeId}`, r) });
  return rounds;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** The median round's latencies of one page. */
const typical = (rounds: Measured[], key: keyof Measured): LoadResult => ({
  ...rounds[0]![key], p50: median(rounds.map((m) => m[key].p50)), p95: median(rounds.map((m) => m[key].p95)), cpuPerRequest: median(rounds.map((m) => m[key].cpuPerRequest ?? NaN)),
});

const pair = (r: LoadResult) => `p50 ${ms(r.p50)} / p95 ${ms(r.p95)}`;

export const pageRows: BenchModule = {
  title: "pages",
  async run(ctx: BenchContext) {
    const small = await measureSize(ctx, ctx.small);
    const large = await measureSize(ctx, ctx.large);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    const rows: BenchRow[] = [];
    const note = `median of ${ROUNDS} rounds; p95 ratios per round: `;
    for (const [label, key] of [["CAB queue page", "cab"], ["Change page, 200 audit events", "change"]] as const) {
      for (const [size, m] of [[ctx.small, small], [ctx.large, large]] as const) {
        const ratios = m.map((round) => round[key].p95 / round.floor.p95);
        const [page, floor] = [typical(m, key), typical(m, "floor")];
        const cpu = `; server CPU per request ${page.cpuPerRequest!.toFixed(1)} vs ${floor.cpuPerRequest!.toFixed(1)} ms (${(page.cpuPerRequest! / floor.cpuPerRequest!).toFixed(2)}x)`;
        rows.push({ name: `${label}, 16 clients (${n(size)} changes) vs floor`, figure: pair(page), baseline: pair(floor) + " (floor)", ratio: median(ratios), target: "<= 3", note: note + ratios.map((r) => r.toFixed(2)).join(", ") + cpu });
      }
      const [p95Small, p95Large] = [typical(small, key).p95, typical(large, key).p95];
      rows.push({ name: `${label}, p95 at ${n(ctx.large)} vs ${n(ctx.small)} changes`, figure: ms(p95Large), baseline: ms(p95Small), ratio: p95Large / p95Small, target: "<= 1.5", note: `median p95 of ${ROUNDS} rounds each` });
    }
    return rows;
  },
};
