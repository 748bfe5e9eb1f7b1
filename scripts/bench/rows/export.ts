// The auditor's exports (GET /api/exports/events, CSV and JSON Lines, a date-range search of about
// 10k, 100k and 1M events) against `COPY (the same query) TO STDOUT` of the same rows, best of five
// runs of each at 10k and of two above, with the server's peak resident memory during the exports
// (it must stay flat as the size grows).
import http from "node:http";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { historyFiltersSchema } from "../../../lib/domain/history-filters";
import { historyExportQuery } from "../../../lib/server/exports/export-history";
import { inlineSql } from "../../../lib/server/exports/stream-query";
import { BENCH_AUDITOR_EMAIL } from "../bench-fixtures";
import { sampleRss, treeRss } from "../app-server";
import { mb, perSecond, type BenchContext, type BenchModule, type BenchRow } from "../types";

// `npm run bench -- --export-sizes 10000,100000` measures fewer sizes (1M takes minutes here).
const sizesArg = process.argv.indexOf("--export-sizes");
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(",").map(Number) : [10_000, 100_000, 1_000_000];

// Read with node:http, a stream socket as the baseline's COPY is read (pg): fetch's web streams add the reader's own time.
function download(url: string, cookie: string): Promise<{ seconds: number; bytes: number; rows: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie } }, (res) => {
        const body: Buffer[] = [];
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (res.statusCode !== 200) body.push(chunk);
        });
        res.on("end", () => {
          if (res.statusCode !== 200)
            return reject(new Error(`${url} answered ${res.statusCode}: ${Buffer.concat(body).toString("utf8")}`));
          resolve({ seconds: (performance.now() - started) / 1000, bytes, rows: Number(res.headers["x-export-expected-rows"]) });
        });
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function copyOut(client: pg.Client, sql: string): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  for await (const chunk of client.query(copyTo(`COPY (${sql}) TO STDOUT`)) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  }
  return { seconds: (performance.now() - started) / 1000, rows };
}

export const exportRowsModule: BenchModule = {
  title: "export",
  async run(ctx: BenchContext) {
    // The baseline's COPY on a connection like the exports' own (lib/server/db/pg-pool.ts: PostgreSQL's
    // planner defaults, not the request pool's settings), so both run the same plan.
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    try {
      const auditorId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_AUDITOR_EMAIL])).rows[0].id as string;
      const server = await ctx.server(ctx.large);
      const cookie = await server.cookieFor(auditorId);
      const rows: BenchRow[] = [];
      // The day on which the size-th event falls: "to" that day gives about `size` events.
      const dayOf = async (size: number) =>
        (
          (await client.query("SELECT occurred_at FROM audit_events ORDER BY seq OFFSET $1 LIMIT 1", [size])).rows[0]?.occurred_at as
            Date | undefined
        )
          ?.toISOString()
          .slice(0, 10);
      // Warm-up, not measured: the route's code, the COPY's plan and the row conversion under V8's optimizer.
      const warmDay = (await dayOf(Math.min(...SIZES))) ?? (await dayOf(0));
      for (const format of ["csv", "jsonl"]) await download(`${server.url}/api/exports/events?format=${format}&to=${warmDay}`, cookie);
      for (const size of SIZES) {
        const day = await dayOf(size);
        if (!day) continue;
        const filters = historyFiltersSchema.parse({ to: day });
        const head = Number((await client.query("SELECT seq FROM audit_chain_head")).rows[0].seq);
        for (const format of ["csv", "jsonl"] as const) {
          // The very query the export runs, as text: what PostgreSQL alone takes to send these rows.
          const same = inlineSql(client, historyExportQuery("audit_events", format, filters, head));
          // Alternating, best of N each: one collection or burst of load moves a short export's ratio, so small sizes run more often.
          const runs = size <= 10_000 ? 5 : 2;
          const idle = treeRss(server.pid);
          const sampler = sampleRss(server.pid);
          const exports: Awaited<ReturnType<typeof download>>[] = [];
          const copies: Awaited<ReturnType<typeof copyOut>>[] = [];
          for (let run = 0; run < runs; run++) {
            exports.push(await download(`${server.url}/api/exports/events?format=${format}&to=${filters.to}`, cookie));
            copies.push(await copyOut(client, same));
          }
          const peak = sampler.stop();
          const rates = exports.map((e) => e.rows / e.seconds);
          const copyRates = copies.map((c) => c.rows / c.seconds);
          const rate = Math.max(...rates);
          const copyRate = Math.max(...copyRates);
          const exported = exports[0]!;
          const list = (xs: number[]) => xs.map(Math.round).join(", ");
          ctx.log(
            `[bench] export ${format} ${exported.rows} rows (${mb(exported.bytes)}): ${list(rates)} rows/s; COPY ${list(copyRates)} rows/s; server RSS ${mb(idle)} idle, ${mb(peak)} peak`,
          );
          rows.push({
            name: `Export of audit events, ${format === "csv" ? "CSV" : "JSON Lines"}, ${exported.rows.toLocaleString("en-US")} rows`,
            figure: perSecond(rate, "rows"),
            baseline: `${perSecond(copyRate, "rows")} (COPY of the same query)`,
            ratio: rate / copyRate,
            target: ">= 0.5",
            note: `best of ${runs} each (export first run ${perSecond(rates[0]!, "rows")}); server RSS peak ${mb(peak)}, idle ${mb(idle)}; file ${mb(exported.bytes)}`,
          });
        }
      }
      return rows;
    } finally {
      await client.end();
    }
  },
};
