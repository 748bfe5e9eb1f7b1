// Every page of the portal, one client at a time, at the small and the large size: a page whose
// cost grows with history shows as a ratio above 1.5, whichever feature it belongs to. Each page is
// requested by a user with the role it is for; the median of a few requests after a warm-up, in
// rounds with the sizes alternating (as the page rows do).
import pg from "pg";
import { EXCEPTION_REPORTS } from "../../../lib/domain/exception-reports";
import { BENCH_AUDITOR_EMAIL, BENCH_CAB_EMAIL, LONG_HISTORY_TITLE } from "../bench-fixtures";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

const REQUESTS = 5;
/** A page slower than this is reported at this figure (a lower bound) and not requested again in the round. */
const TIMEOUT_MS = 30_000;

type Role = "requester" | "cab_member" | "change_manager" | "security_reviewer" | "implementer" | "auditor" | "admin";

/** The pages, with ":change" (the 200-event change), ":ci", ":user" and ":template" filled per database. */
const PAGES: [path: string, role: Role][] = [
  ["/", "requester"],
  ["/changes", "change_manager"],
  ["/changes/mine", "requester"],
  ["/changes/new", "requester"],
  ["/changes/:change", "cab_member"],
  ["/cab", "cab_member"],
  ["/calendar", "change_manager"],
  ["/metrics", "change_manager"],
  ["/security", "security_reviewer"],
  ["/work", "implementer"],
  ["/notifications", "requester"],
  ["/audit", "auditor"],
  ["/audit?view=events", "auditor"],
  ["/audit/changes/:change", "auditor"],
  ["/audit/verify", "auditor"],
  ["/audit/reports", "auditor"],
  ...EXCEPTION_REPORTS.map((r): [string, Role] => [`/audit/reports/${r.slug}`, "auditor"]),
  ["/admin/users", "admin"],
  ["/admin/users/:user", "admin"],
  ["/admin/cis", "admin"],
  ["/admin/cis/:ci", "admin"],
  ["/admin/freezes", "admin"],
  ["/admin/templates", "admin"],
  ["/admin/templates/:template", "admin"],
];

type Sample = { ms: number; kb: number; timedOut?: boolean };

async function prepareSize(ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<Sample[]>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  const one = async (sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows[0] as Record<string, string> | undefined;
  const ids: Record<string, string> = {};
  const users = {} as Record<Role, string>;
  try {
    const change = await one("SELECT id, requester_id FROM change_requests WHERE title = $1", [LONG_HISTORY_TITLE]);
    ids[":change"] = change!.id!;
    ids[":ci"] = (await one("SELECT id FROM configuration_items ORDER BY name LIMIT 1"))!.id!;
    ids[":template"] = (await one("SELECT id FROM change_templates ORDER BY created_at LIMIT 1"))!.id!;
    ids[":user"] = (await one("SELECT id FROM users WHERE email = $1", [BENCH_CAB_EMAIL]))!.id!;
    for (const role of ["change_manager", "security_reviewer", "implementer", "admin"] as const) {
      users[role] = (await one(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = $1 ORDER BY u.email LIMIT 1",
        [role],
      ))!.id!;
    }
    users.cab_member = ids[":user"]!;
    users.auditor = (await one("SELECT id FROM users WHERE email = $1", [BENCH_AUDITOR_EMAIL]))!.id!;
    // The long-history change's requester: "my changes" and notifications with years of them.
    users.requester = change!.requester_id!;
  } finally {
    await client.end();
  }
  const server = await ctx.server(size);
  const cookies = Object.fromEntries(
    await Promise.all(Object.entries(users).map(async ([role, id]) => [role, await server.cookieFor(id)])),
  ) as Record<Role, string>;
  return async (round) => {
    const samples: Sample[] = [];
    for (const [pattern, role] of PAGES) {
      const pathname = pattern.replace(/:[a-z]+/, (key) => ids[key]!);
      const times: number[] = [];
      let bytes = 0;
      let timedOut = false;
      for (let i = 0; i <= REQUESTS && !timedOut; i++) {
        const started = performance.now();
        try {
          const res = await fetch(server.url + pathname, {
            headers: { cookie: cookies[role] },
            redirect: "manual",
            signal: AbortSignal.timeout(TIMEOUT_MS),
          });
          const body = await res.arrayBuffer();
          if (res.status !== 200)
            throw new Error(`${pathname} answered ${res.status} to a ${role}; see .data/bench/server-${size.database}.log.`);
          if (i > 0) times.push(performance.now() - started);
          bytes = body.byteLength;
        } catch (error) {
          if ((error as Error).name !== "TimeoutError") throw error;
          timedOut = true;
        }
      }
      samples.push(timedOut ? { ms: TIMEOUT_MS, kb: bytes / 1024, timedOut } : { ms: median(times), kb: bytes / 1024 });
    }
    ctx.log(
      `[bench] ${size.changes} changes, round ${round + 1}/${ROUNDS}: ${PAGES.map(([p], i) => `${p} ${ms(samples[i]!.ms)}`).join(", ")}`,
    );
    return samples;
  };
}

export const sweepRows: BenchModule = {
  title: "sweep",
  async run(ctx) {
    const { small, large } = await inAlternatingRounds(ctx, prepareSize);
    const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
    return PAGES.map(([pattern, role], i): BenchRow => {
      const ratios = large.map((round, r) => round[i]!.ms / small[r]![i]!.ms);
      const at = (rounds: Sample[][]) => median(rounds.map((round) => round[i]!.ms));
      const kb = (rounds: Sample[][]) => Math.round(rounds[0]![i]!.kb);
      const figure = (rounds: Sample[][]) =>
        rounds.some((round) => round[i]!.timedOut) ? `> ${ms(at(rounds))} (timed out)` : ms(at(rounds));
      return {
        name: `Page ${pattern} (${role.replace("_", " ")}), one client, median at ${n(ctx.large)} vs ${n(ctx.small)} changes`,
        figure: figure(large),
        baseline: figure(small),
        // A timed-out large page's ratio is a lower bound (still far above 1.5); with the small one timed out there is none.
        ratio: small.some((round) => round[i]!.timedOut) ? null : median(ratios),
        target: "<= 1.5",
        note: `${kb(small)} KB / ${kb(large)} KB; median of ${REQUESTS} requests, ${ROUNDS} rounds, sizes alternating; ratios per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}`,
      };
    });
  },
};
