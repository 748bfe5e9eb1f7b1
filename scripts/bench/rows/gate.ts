// The deployment gate (issue 32): `POST /api/v1/deployments/check` through `next start` with 16
// clients beside the floor page, at both sizes in rounds, with 10,000 reported deployments in the
// table. Each request is a new pipeline run, so every answer is decided (and audited), never replayed.
import { createHash } from "node:crypto";
import pg from "pg";
import { BENCH_MANAGER_EMAIL } from "../bench-fixtures";
import { loadPair, measureLoad, medianLoad, type LoadResult } from "../app-server";
import { freshTokens } from "./api";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

const DEPLOYMENTS = 10_000;
const BENCH_RUNS = "https://bench.local/deploy/";
const GATE_CHANGE_TITLE = "Bench: change the deployment gate allows";
const DIGEST = `sha256:${createHash("sha256").update("bench gate artifact").digest("hex")}`;

/** Tops the bench's reported deployments up to DEPLOYMENTS, spread over the CMDB and 90 days. */
async function ensureDeployments(client: pg.Client, reporterId: string): Promise<void> {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM deployments WHERE pipeline_run_url LIKE $1", [
    `${BENCH_RUNS}%`,
  ]);
  const missing = DEPLOYMENTS - rows[0]!.n;
  if (missing <= 0) return;
  await client.query(
    `WITH cis AS (SELECT id, name, environment, row_number() OVER (ORDER BY name) - 1 AS k, count(*) OVER () AS total FROM configuration_items)
     INSERT INTO deployments (environment, ci_id, ci_name, digests, status, started_at, finished_at, pipeline_run_url,
                              pipeline_step, reported_by_id, authorized, unauthorized_reason, reasons, created_at, updated_at)
     SELECT c.environment, c.id, c.name, ARRAY['sha256:' || encode(sha256(convert_to('bench deploy ' || i, 'UTF8')), 'hex')],
            (CASE WHEN i % 12 = 0 THEN 'failed' ELSE 'succeeded' END)::deployment_status,
            at, at + interval '6 minutes', $2 || i, 'deploy', $3, i % 20 <> 0,
            CASE WHEN i % 20 = 0 THEN 'no_change' END,
            CASE WHEN i % 20 = 0 THEN '[{"code":"no_change","message":"No change covers it."}]'::jsonb ELSE '[]'::jsonb END,
            at, at
     FROM generate_series($1::int, $1::int + $4::int - 1) AS i
     CROSS JOIN LATERAL (SELECT now() - (i % 90) * interval '1 day' - (i % 1440) * interval '1 minute' AS at) t
     JOIN cis c ON c.k = i % c.total`,
    [DEPLOYMENTS - missing, BENCH_RUNS, reporterId, missing],
  );
}

/** A scheduled change open now on one production CI, approving DIGEST; made afresh each run. */
async function gateChange(client: pg.Client, requesterId: string): Promise<{ ci: string; number: number }> {
  await client.query("DELETE FROM change_requests WHERE title = $1", [GATE_CHANGE_TITLE]);
  const ci = (
    await client.query<{ id: string; name: string }>(
      "SELECT id, name FROM configuration_items WHERE environment = 'production' ORDER BY name LIMIT 1",
    )
  ).rows[0];
  if (!ci) throw new Error("The bench data has no production CI; regenerate it (npm run bench:data).");
  const { rows } = await client.query<{ id: string; number: number }>(
    `INSERT INTO change_requests (type, state, title, requester_id, planned_start, planned_end, submitted_at, authorized_at, approval_round)
     VALUES ('normal', 'scheduled', $1, $2, now() - interval '1 hour', now() + interval '6 hours', now() - interval '2 days', now() - interval '1 day', 1)
     RETURNING id, number`,
    [GATE_CHANGE_TITLE, requesterId],
  );
  const change = rows[0]!;
  await client.query("INSERT INTO change_cis (change_id, ci_id) VALUES ($1, $2)", [change.id, ci.id]);
  await client.query(
    `INSERT INTO release_artifacts (change_id, name, version, digest, scan_scanner, scanned_at, scan_critical, scan_high, scan_medium, scan_low, scan_known_exploited)
     VALUES ($1, 'bench-service', '1.0.0', $2, 'bench', now(), 0, 0, 0, 0, 0)`,
    [change.id, DIGEST],
  );
  return { ci: ci.name, number: change.number };
}

type Measured = { floor: LoadResult; gate: LoadResult };

async function prepareSize(ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<Measured>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  let managerId: string;
  let token: string;
  let ci: string;
  try {
    managerId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_MANAGER_EMAIL])).rows[0].id;
    const requesterId = (
      await client.query("SELECT id FROM users WHERE email <> $1 AND active ORDER BY email LIMIT 1", [BENCH_MANAGER_EMAIL])
    ).rows[0].id;
    await ensureDeployments(client, managerId);
    ci = (await gateChange(client, requesterId)).ci;
    token = (await freshTokens(client, 1, BENCH_MANAGER_EMAIL, ["deployments:write"]))[0]!.token;
  } finally {
    await client.end();
  }
  const server = await ctx.server(size);
  const cookie = await server.cookieFor(managerId);
  let run = 0;
  const body = () =>
    JSON.stringify({
      environment: "production",
      cis: [ci],
      digests: [DIGEST],
      pipelineRunUrl: `https://bench.local/gate/${process.pid}/${++run}`,
    });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  // One answer first: the row measures the allowing path, so a deny (a freeze in the data, say) stops it.
  const first = await fetch(`${server.url}/api/v1/deployments/check`, { method: "POST", headers, body: body() });
  const answer = (await first.json()) as { decision?: string; reasons?: { code: string }[] };
  if (answer.decision !== "allow")
    throw new Error(
      `The gate answered ${first.status} ${answer.decision ?? ""} (${(answer.reasons ?? []).map((r) => r.code).join(", ")}), not allow.`,
    );
  const measure = async (label: string, round: number, load: () => Promise<LoadResult>) => {
    const result = await load();
    if (result.failures > 0)
      throw new Error(
        `${label} answered ${result.failures} of ${result.requests} requests with a status other than 200; see .data/bench/server-${size.database}.log.`,
      );
    ctx.log(
      `[bench] ${size.changes} changes, round ${round + 1}/${ROUNDS}, ${label}: p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, ${Math.round(result.perSecond)} req/s`,
    );
    return result;
  };
  return async (round) => ({
    floor: await measure("/bench-floor", round, () => measureLoad(server.url + "/bench-floor", cookie, ctx.duration, 16, server.pid)),
    gate: await measure("POST /api/v1/deployments/check", round, () =>
      measureLoad(`${server.url}/api/v1/deployments/check`, "", ctx.duration, 16, server.pid, headers, body),
    ),
  });
}

export const gateRows: BenchModule = {
  title: "gate",
  async run(ctx: BenchContext) {
    const { small, large } = await inAlternatingRounds(ctx, prepareSize);
    const rows: BenchRow[] = [];
    for (const [size, m] of [
      [ctx.small, small],
      [ctx.large, large],
    ] as const) {
      const ratios = m.map((round) => round.gate.p95 / round.floor.p95);
      rows.push({
        name: `POST /api/v1/deployments/check (allow, a new pipeline run each), 16 clients (${size.changes.toLocaleString("en-US")} changes, ${DEPLOYMENTS.toLocaleString("en-US")} deployments) vs floor`,
        figure: loadPair(medianLoad(m, "gate")),
        baseline: loadPair(medianLoad(m, "floor")) + " (floor)",
        ratio: median(ratios),
        target: "<= 2",
        note: `median of ${ROUNDS} rounds; p95 ratios per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}`,
      });
    }
    const sizeRatios = small.map((s, i) => large[i]!.gate.p95 / s.gate.p95);
    rows.push({
      name: `Deployment gate p95, ${ctx.large.changes.toLocaleString("en-US")} vs ${ctx.small.changes.toLocaleString("en-US")} changes`,
      figure: ms(medianLoad(large, "gate").p95),
      baseline: ms(medianLoad(small, "gate").p95) + ` (${ctx.small.changes.toLocaleString("en-US")} changes)`,
      ratio: median(sizeRatios),
      target: "<= 1.5",
      note: `per-round ratios: ${sizeRatios.map((r) => r.toFixed(2)).join(", ")}`,
    });
    return rows;
  },
};
