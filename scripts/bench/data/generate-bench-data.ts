// Fills an empty, migrated database with years of realistic history for the benchmarks:
// users with roles (people.ts), configuration items with dependencies (cmdb.ts), templates
// (templates.ts), changes of the four types in every state with their rounds, votes, sign-offs,
// comments and reviews (plan-change.ts), and an audit log of about 20 events per change whose hash
// chain verifies.
//
// Loading: COPY in PostgreSQL's text format, as the schema owner, with every trigger left ON.
// The audit log's BEFORE INSERT trigger checks each event's seq and prev_hash against the row
// before it (one primary-key lookup per row); rows of the same COPY are visible to it, so the
// events stream in chain order and the database itself proves every link as it loads. That
// costs a little time but needs no superuser, never leaves a trigger disabled after a crash,
// and works on an external PostgreSQL too. The head row is set once at the end.
import type pg from "pg";
import { ChainedEventLog } from "../../lib/history/chained-event-log";
import { seededRandom } from "../../lib/history/random";
import { emptyChunk, flushChunk } from "./change-chunk";
import { writeCmdb } from "./cmdb";
import { DAY, HOUR, MINUTE, eventPlanner, type GeneratorContext } from "./generator-context";
import { writePeople } from "./people";
import { planChange, type ChangeWorld } from "./plan-change";
import { writeTemplates } from "./templates";

/**
 * inFlight: how many of the changes are recent (the last 45 days, spread over the open states),
 * 150 by default whatever the size: the same organisation's current work with more or less
 * history behind it, so comparing sizes measures history (a share of N would compare
 * organisations of different sizes instead).
 */
export type GenerateOptions = { changes: number; inFlight?: number; seed?: number; now?: Date; log?: (line: string) => void };
export type GenerateResult = { tables: Record<string, number>; events: number; seconds: number; head: { seq: number; hash: string } };

const YEARS = 5;
const CHUNK = 2_000; // changes per COPY batch of the ordinary tables

export async function generateBenchData(
  owner: pg.Client,
  audit: pg.Client,
  passwordHash: string,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const r = seededRandom(options.seed ?? 20261123);
  const N = options.changes;
  const now = Math.floor((options.now ?? new Date()).getTime() / MINUTE) * MINUTE;
  const recentCount = Math.min(N, options.inFlight ?? 150);
  const longIndex = Math.max(0, N - recentCount - 1);
  const historyStart = now - YEARS * 365 * DAY;
  const recentStart = now - 45 * DAY;
  const tables: Record<string, number> = {};
  const count = (table: string, n: number) => (tables[table] = (tables[table] ?? 0) + n);

  const { rows: existing } = await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  if (existing[0]!.n > 0) throw new Error("The bench database is not empty; the generator fills an empty, migrated database.");

  // The audit log: events leave a min-heap in time order and are chained as they leave.
  const chain = new ChainedEventLog(audit);
  const ctx: GeneratorContext = { owner, r, plan: eventPlanner(chain, r), count };

  // The organisation is set up a month before its history starts.
  const setupAt = historyStart - 30 * DAY;
  const people = await writePeople(ctx, passwordHash, setupAt);
  const cis = await writeCmdb(ctx, people.admins[1]!, setupAt);
  const templates = await writeTemplates(ctx, cis, people.managers, setupAt);
  await chain.emitUntil(historyStart);

  // Changes, in creation order, flushed in chunks: old ones spread over the years, recent ones over the last 45 days.
  const world: ChangeWorld = { r, plan: ctx.plan, people, cis, templates, now, historyStart };
  const old = N - recentCount;
  const createdAt = (i: number) =>
    i >= old
      ? recentStart + Math.floor(((i - old + r.next()) / recentCount) * (now - HOUR - recentStart))
      : historyStart + Math.floor(((i + r.next()) / Math.max(1, old)) * (recentStart - historyStart));
  let chunk = emptyChunk();
  for (let i = 0; i < N; i++) {
    const t0 = createdAt(i);
    planChange(world, i, t0, { long: i === longIndex, recent: i >= old }, chunk);
    if ((i + 1) % CHUNK === 0 || i === N - 1) {
      await flushChunk(ctx, chunk);
      chunk = emptyChunk();
      // The next change signs in a minute before it is created; keep its events in time order.
      await chain.emitUntil(i === N - 1 ? Infinity : t0 - 2 * MINUTE);
      if ((i + 1) % 10_000 === 0 || i === N - 1)
        log(`[bench:data] ${i + 1} changes, ${chain.written} audit events, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  const head = await chain.end();
  count("audit_events", head.seq);

  await owner.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [head.seq, head.hash]);
  await owner.query("SELECT setval(pg_get_serial_sequence('change_requests', 'number'), $1)", [N]);
  log("[bench:data] VACUUM ANALYZE…");
  await owner.query("VACUUM ANALYZE");
  return { tables, events: head.seq, seconds: (performance.now() - started) / 1000, head };
}
