// EXPLAIN (ANALYZE, BUFFERS) of the CAB queue's query and the change list's queries, on the
// large database; a sequential scan of a large table is flagged.
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { APP_CONNECTION_OPTIONS } from "../../../lib/server/connection-options";
import { parseCabQueueParams } from "../../../lib/domain/cab-queue-params";
import { cabQueueCandidatesSql } from "../../../lib/server/changes/list-cab-queue";
import { historyFiltersSchema } from "../../../lib/domain/history-filters";
import { changeSearchSql, eventSearchSql } from "../../../lib/server/history/search-history";
import { GATE_CANDIDATES_SQL } from "../../../lib/server/deployments/load-gate-facts";
import { BENCH_CAB_EMAIL } from "../bench-fixtures";
import { ms, type BenchContext, type BenchModule, type BenchRow } from "../types";

const LARGE_TABLE_ROWS = 10_000;

// The change list (lib/server/changes/list-changes.ts) as Prisma sends it: newest first, keyset on (created_at, id).
const LIST_DEFAULT = `SELECT c.id, c.number, c.title, c.type, c.state, c.risk_level, c.risk_score, c.planned_start, c.created_at, u.name
  FROM change_requests c JOIN users u ON u.id = c.requester_id ORDER BY c.created_at DESC, c.id DESC LIMIT 26`;
const LIST_FILTERED = `SELECT c.id, c.number, c.title, c.type, c.state, c.risk_level, c.risk_score, c.planned_start, c.created_at, u.name
  FROM change_requests c JOIN users u ON u.id = c.requester_id
  WHERE c.state = 'closed'::change_state AND c.type = 'normal'::change_type AND c.title ILIKE '%billing%' ORDER BY c.created_at DESC, c.id DESC LIMIT 26`;
// The change page's timeline, the query of lib/server/audit/read-audit-events.ts with its parameters.
const TIMELINE = `SELECT seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash
  FROM audit_events WHERE seq > $1 AND ($2::uuid IS NULL OR change_id = $2::uuid) ORDER BY seq LIMIT $3`;

export const explainRows: BenchModule = {
  title: "explain",
  async run(ctx: BenchContext) {
    // With the application's connection options, so each plan is the one its pages get.
    const client = new pg.Client({ connectionString: ctx.large.ownerUrl, options: APP_CONNECTION_OPTIONS });
    await client.connect();
    try {
      const {
        rows: [cab],
      } = await client.query("SELECT id FROM users WHERE email = $1", [BENCH_CAB_EMAIL]);
      const {
        rows: [recent],
      } = await client.query("SELECT id FROM change_requests ORDER BY created_at DESC LIMIT 1");
      const { rows: big } = await client.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > $1", [
        LARGE_TABLE_ROWS,
      ]);
      const large = new Set(big.map((b) => b.relname));
      // The deployment gate's candidates for a digest a change approves and the CIs of an open change.
      const {
        rows: [gate],
      } = await client.query<{ digests: string[]; cis: string[] }>(
        `SELECT array(SELECT digest FROM release_artifacts ORDER BY id LIMIT 1) AS digests,
                array(SELECT cc.ci_id FROM change_cis cc JOIN change_requests c ON c.id = cc.change_id
                       WHERE c.state = 'scheduled' ORDER BY c.updated_at DESC LIMIT 2) AS cis`,
      );
      const queue = cabQueueCandidatesSql(cab, parseCabQueueParams({}), undefined);
      // The auditor's searches as the search row requests them (scripts/bench/rows/search.ts).
      const changeSearch = changeSearchSql(historyFiltersSchema.parse({ type: "normal", state: "closed", q: "service" }));
      const eventSearch = eventSearchSql(historyFiltersSchema.parse({ type: "normal", action: "change.vote_cast", q: "payments" }));
      // And a rare text, a change's number, which the trigram indexes serve.
      const rare = historyFiltersSchema.parse({ q: "CHG-000500" });
      const [changeNumber, eventNumber] = [changeSearchSql(rare), eventSearchSql(rare)];
      const history: [string, string, unknown[]][] = [
        ["History search, changes (type + state + text)", changeSearch.text, changeSearch.values],
        ["History search, events (type + action + text)", eventSearch.text, eventSearch.values],
        ["History search, changes (a change number)", changeNumber.text, changeNumber.values],
        ["History search, events (a change number)", eventNumber.text, eventNumber.values],
      ];
      const queries: [string, string, unknown[]][] = [
        ["CAB queue (risk order)", queue.text, queue.values],
        ["Change list, newest first", LIST_DEFAULT, []],
        ["Change list, state + type + title filter", LIST_FILTERED, []],
        ["Change page timeline", TIMELINE, [0, recent.id, 500]],
        ["Deployment gate, candidate changes (a digest and two CIs)", GATE_CANDIDATES_SQL, [gate!.digests, gate!.cis, 20]],
        ...history,
      ];
      const rows: BenchRow[] = [];
      const report: string[] = [];
      for (const [name, text, values] of queries) {
        const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
        const lines = plan.map((p) => p["QUERY PLAN"] as string);
        const seqScans = [...new Set(lines.flatMap((l) => [...(/Seq Scan on (\w+)/.exec(l)?.slice(1) ?? [])]).filter((t) => large.has(t)))];
        const execution = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join("\n"))?.[1] ?? NaN);
        report.push(
          `== ${name} (${ctx.large.changes} changes)${seqScans.length ? `  ** Seq Scan on large table: ${seqScans.join(", ")} **` : ""}\n${lines.join("\n")}\n`,
        );
        rows.push({
          name: `EXPLAIN ${name} (${ctx.large.changes.toLocaleString("en-US")})`,
          figure: ms(execution),
          baseline: "-",
          ratio: null,
          target: "no Seq Scan",
          note: seqScans.length ? `SEQ SCAN on ${seqScans.join(", ")}` : "index only",
        });
      }
      const file = path.join(ctx.outDir, "plans.txt");
      writeFileSync(file, report.join("\n"));
      ctx.log(report.join("\n"));
      return rows;
    } finally {
      await client.end();
    }
  },
};
