// Server-rendered pages through `next start`, 16 concurrent clients (autocannon): the CAB queue
// and the page of a change with a 200-event history, beside the floor (app/(portal)/bench-floor),
// on the small and the large database.
import pg from "pg";
import { BENCH_CAB_EMAIL, LONG_HISTORY_TITLE } from "../generate-data";
import { measureLoad, type LoadResult } from "../app-server";
import { ms, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

type Measured = { floor: LoadResult; cab: LoadResult; change: LoadResult };

async function measureSize(ctx: BenchContext, size: BenchSize): Promise<Measured> {
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
  const measure = async (pathname: string) => {
    const result = await measureLoad(server.url + pathname, cookie, ctx.duration);
    if (result.failures > 0) throw new Error(`${pathname} answered ${result.failures} of ${result.requests} requests with a status other than 200; see .data/bench/server.log.`);
    ctx.log(`[bench] ${size.changes} changes ${pathname}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, ${Math.round(result.perSecond)} req/s`);
    return result;
  };
  return { floor: await measure("/bench-floor"), cab: await measure("/cab"), change: await measure(`/changes/${changeId}`) };
}

const pair = (r: LoadResult) => `p50 ${ms(r.p50)} / p95 ${ms(r.p95)}`;

export const pageRows: BenchModule = {
  title: "pages",
  async run(ctx: BenchContext) {
    const small = await measureSize(ctx, ctx.small);
    const large = await measureSize(ctx, ctx.large);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    const rows: BenchRow[] = [];
    for (const [label, key] of [["CAB queue page", "cab"], ["Change page, 200 audit events", "change"]] as const) {
      for (const [size, m] of [[ctx.small, small], [ctx.large, large]] as const) {
        rows.push({ name: `${label}, 16 clients (${n(size)} changes) vs floor`, figure: pair(m[key]), baseline: pair(m.floor) + " (floor)", ratio: m[key].p95 / m.floor.p95, target: "<= 3" });
      }
      rows.push({ name: `${label}, p95 at ${n(ctx.large)} vs ${n(ctx.small)} changes`, figure: ms(large[key].p95), baseline: ms(small[key].p95), ratio: large[key].p95 / small[key].p95, target: "<= 1.5" });
    }
    return rows;
  },
};
