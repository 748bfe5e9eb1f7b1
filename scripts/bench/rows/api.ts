// The REST API: `GET /api/v1/changes` through `next start` with 16 clients beside the floor page
// (as the page rows measure pages), at both sizes in rounds; and token authentication's cost per
// request (authenticateBearer: the token's row and owner, the rate limit's count, the last-use
// check) with 10,000 tokens in the table, beside the one query that finds a token by its public id.
import pg from "pg";
import { newToken } from "../../../lib/domain/api-token";
import { authenticateBearer } from "../../../lib/server/api/authenticate-bearer";
import { BENCH_MANAGER_EMAIL } from "../bench-fixtures";
import { loadPair, measureLoad, medianLoad, type LoadResult } from "../app-server";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

/** The bench's own tokens are named so; each run replaces them. */
const BENCH_TOKEN_NAME = "Bench API token";
const TOKENS = 10_000;

/** Replaces the bench's tokens with `count` fresh ones, spread over active users (as many per user as a person may hold); returns them. */
export async function freshTokens(
  client: pg.Client,
  count: number,
  ownerEmail?: string,
  scopes: readonly string[] = ["changes:read"],
): Promise<{ token: string; publicId: string }[]> {
  await client.query(
    "DELETE FROM api_tokens WHERE name = $1" + (ownerEmail ? " AND owner_id = (SELECT id FROM users WHERE email = $2)" : ""),
    [BENCH_TOKEN_NAME, ...(ownerEmail ? [ownerEmail] : [])],
  );
  const { rows: owners } = await client.query<{ id: string }>(
    ownerEmail
      ? "SELECT id FROM users WHERE email = $1"
      : "SELECT id FROM users WHERE active AND NOT must_change_password AND kind = 'user' ORDER BY email",
    ownerEmail ? [ownerEmail] : [],
  );
  if (owners.length === 0) throw new Error("No user to own the bench's tokens; regenerate the data (npm run bench:data).");
  const tokens = Array.from({ length: count }, () => newToken());
  const ownerOf = (i: number) => owners[i % owners.length]!.id;
  await client.query(
    `INSERT INTO api_tokens (public_id, secret_hash, owner_id, name, scopes, created_by_id, expires_at)
     SELECT p, h, o, $4, $5::text[], o, now() + interval '90 days' FROM unnest($1::text[], $2::text[], $3::uuid[]) AS t(p, h, o)`,
    [tokens.map((t) => t.publicId), tokens.map((t) => t.secretHash), tokens.map((_, i) => ownerOf(i)), BENCH_TOKEN_NAME, scopes],
  );
  return tokens;
}

type Measured = { floor: LoadResult; api: LoadResult };

async function prepareSize(ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<Measured>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  let userId: string;
  let token: string;
  try {
    userId = (await client.query("SELECT id FROM users WHERE email = $1", [BENCH_MANAGER_EMAIL])).rows[0].id;
    token = (await freshTokens(client, 1, BENCH_MANAGER_EMAIL))[0]!.token;
  } finally {
    await client.end();
  }
  const server = await ctx.server(size);
  const cookie = await server.cookieFor(userId);
  const measure = async (pathname: string, round: number, headers: Record<string, string>) => {
    const result = await measureLoad(server.url + pathname, headers.authorization ? "" : cookie, ctx.duration, 16, server.pid, headers);
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
    floor: await measure("/bench-floor", round, {}),
    api: await measure("/api/v1/changes", round, { authorization: `Bearer ${token}` }),
  });
}

export const apiListRows: BenchModule = {
  title: "api",
  async run(ctx: BenchContext) {
    const { small, large } = await inAlternatingRounds(ctx, prepareSize);
    const rows: BenchRow[] = [];
    for (const [size, m] of [
      [ctx.small, small],
      [ctx.large, large],
    ] as const) {
      const ratios = m.map((round) => round.api.p95 / round.floor.p95);
      const [api, floor] = [medianLoad(m, "api"), medianLoad(m, "floor")];
      rows.push({
        name: `GET /api/v1/changes (change manager, 25 a page), 16 clients (${size.changes.toLocaleString("en-US")} changes) vs floor`,
        figure: loadPair(api),
        baseline: loadPair(floor) + " (floor)",
        ratio: median(ratios),
        target: "<= 2",
        note: `median of ${ROUNDS} rounds; p95 ratios per round: ${ratios.map((r) => r.toFixed(2)).join(", ")}; server CPU per request ${api.cpuPerRequest!.toFixed(1)} vs ${floor.cpuPerRequest!.toFixed(1)} ms`,
      });
    }
    return rows;
  },
};

const PER_BLOCK = 500;
const BLOCKS = 4;

export const apiAuthRow: BenchModule = {
  title: "api-auth",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    try {
      const tokens = await freshTokens(client, TOKENS);
      const { rows: counted } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM api_tokens");
      // Every block authenticates other tokens than the last, each once, as many pipelines would.
      const requests = tokens.map(
        (t) => new Request("http://bench.local/api/v1/changes", { headers: { authorization: `Bearer ${t.token}` } }),
      );
      const viaApp = async (r: Request) => {
        const auth = await authenticateBearer(r, { scope: "changes:read", attempted: "GET /api/v1/changes" });
        if (!auth.ok) throw new Error(`authenticateBearer refused a bench token: ${auth.refusal.code}`);
      };
      // The baseline: the one indexed lookup a token needs, prepared once like the app's statements.
      const viaSql = async (_: Request, i: number) => {
        const { rowCount } = await client.query({
          name: "bench_token_lookup",
          text: "SELECT id, secret_hash, scopes, expires_at, revoked_at, owner_id FROM api_tokens WHERE public_id = $1",
          values: [tokens[i]!.publicId],
        });
        if (rowCount !== 1) throw new Error("The bench's token is missing.");
      };
      let next = 0;
      const block = async (fn: (r: Request, i: number) => Promise<void>) => {
        const began = performance.now();
        for (let k = 0; k < PER_BLOCK; k++, next = (next + 1) % requests.length) await fn(requests[next]!, next);
        return (performance.now() - began) / PER_BLOCK;
      };
      // Warm-up: each measured token's first use of the minute also writes its last use.
      for (let i = 0; i < PER_BLOCK * (BLOCKS + 1); i++) await viaApp(requests[i]!);
      next = 0;
      await block(viaSql);
      next = PER_BLOCK;
      const app: number[] = [];
      const sql: number[] = [];
      for (let b = 0; b < BLOCKS; b++) {
        const from = next;
        app.push(await block(viaApp));
        next = from;
        sql.push(await block(viaSql));
      }
      const [perApp, perSql] = [median(app), median(sql)];
      return [
        {
          name: `Token authentication per request, rate limit included (${counted[0]!.n.toLocaleString("en-US")} tokens, ${ctx.large.changes.toLocaleString("en-US")} changes)`,
          figure: `${perApp.toFixed(2)} ms`,
          baseline: `${perSql.toFixed(2)} ms (token lookup by public id)`,
          ratio: perApp / perSql,
          target: "< 1 ms",
          meets: perApp < 1,
          note: `one request at a time, median of ${BLOCKS} blocks of ${PER_BLOCK} (each token once a block); ms per block: ${app.map((x) => x.toFixed(2)).join(", ")}`,
        },
      ];
    } finally {
      await client.end();
    }
  },
};
