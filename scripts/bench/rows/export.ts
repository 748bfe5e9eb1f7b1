// GET /api/audit/export (JSON Lines, streamed in keyset batches) vs COPY of the same rows TO
// STDOUT, at 10k, 100k and 1M rows, with the server's peak resident memory during each.
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { BENCH_AUDITOR_EMAIL } from "../generate-data";
import { sampleRss, treeRss } from "../app-server";
import { perSecond, type BenchContext, type BenchModule, type BenchRow } from "../types";

const SIZES = [10_000, 100_000, 1_000_000];
const EXPORT_COLUMNS = "seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash";

/** Reads the response until `rows` lines have arrived, then hangs up (the export itself is longer). */
async function exportRows(url: string, cookie: string, rows: number): Promise<number> {
  const abort = new AbortController();
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie }, signal: abort.signal });
  if (res.status !== 200) throw new Error(`GET /api/audit/export answered ${res.status}.`);
  const reader = res.body!.getReader();
  let lines = 0;
  while (lines < rows) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  abort.abort();
  await reader.cancel().catch(() => undefined);
  if (lines < rows) throw new Error(`The export ended after ${lines} rows; ${rows} were wanted.`);
  return seconds;
}

async function copyRowsOut(client: pg.Client, rows: number): Promise<number> {
  const started = performance.now();
  const stream = client.query(copyTo(`COPY (SELECT ${EXPORT_COLUMNS} FROM audit_events WHERE seq > 0 ORDER BY seq LIMIT ${rows}) TO STDOUT`));
  let lines = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  if (lines !== rows) throw new Error(`COPY returned ${lines} rows, not ${rows}.`);
  return (performance.now() - started) / 1000;
}

export const exportRowsModule: BenchModule = {
  title: "export",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    try {
      const auditorId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_AUDITOR_EMAIL])).rows[0].id as string;
      const head = Number((await client.query("SELECT seq FROM audit_chain_head")).rows[0].seq);
      const server = await ctx.server(ctx.large);
      const cookie = await server.cookieFor(auditorId);
      await exportRows(`${server.url}/api/audit/export`, cookie, 5_000); // warm-up
      const rows: BenchRow[] = [];
      for (const size of SIZES.filter((s) => s <= head)) {
        const idle = treeRss(server.pid);
        const sampler = sampleRss(server.pid);
        const exportSeconds = await exportRows(`${server.url}/api/audit/export`, cookie, size);
        const peak = sampler.stop();
        const copySeconds = await copyRowsOut(client, size);
        const rate = size / exportSeconds;
        const copyRate = size / copySeconds;
        const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
        ctx.log(`[bench] export ${size} rows: ${Math.round(rate)} rows/s, COPY ${Math.round(copyRate)} rows/s, server RSS ${mb(idle)} idle, ${mb(peak)} peak`);
        rows.push({ name: `Audit export JSON Lines, ${size.toLocaleString("en-US")} rows`, figure: perSecond(rate, "rows"), baseline: perSecond(copyRate, "rows") + " (COPY)", ratio: rate / copyRate, target: ">= 0.5", note: `server RSS peak ${mb(peak)} (idle ${mb(idle)})` });
      }
      return rows;
    } finally {
      await client.end();
    }
  },
};
