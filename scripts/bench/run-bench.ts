// `npm run bench`: one runner, one module per row (scripts/bench/rows/*). Every figure sits
// beside a raw baseline measured in the same run on the same database. Figures are printed,
// never asserted: the machines are shared and noisy. Needs `npm run bench:data` first, for
// the small and the large size (defaults 1000 and 100000 changes).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchAppEnv, startAppServer, treeRss, type AppServer } from "./app-server";
import { benchCluster, benchDatabaseExists, benchDatabaseName } from "./bench-database";
import { apiAuthRow, apiListRows } from "./rows/api";
import { chainRow } from "./rows/chain";
import { explainRows } from "./rows/explain";
import { gateRows } from "./rows/gate";
import { lifecycleRows } from "./rows/lifecycle";
import { exportRowsModule } from "./rows/export";
import { pageRows } from "./rows/pages";
import { searchRows } from "./rows/search";
import { sweepRows } from "./rows/sweep";
import { voteApiRow, voteRow } from "./rows/vote";
import { mb, meets, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "./types";
import { buildIfStale } from "../lib/build";
import { migrateAndGrant } from "../lib/database";
import { loadLocalSecrets } from "../lib/local-secrets";

const MODULES: BenchModule[] = [
  voteRow,
  voteApiRow,
  lifecycleRows,
  chainRow,
  explainRows,
  pageRows,
  searchRows,
  sweepRows,
  exportRowsModule,
  apiListRows,
  apiAuthRow,
  gateRows,
];

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const smallChanges = Number(option("small", "1000"));
const largeChanges = Number(option("large", "100000"));
/** The rows that load pages and exports through `next start`. */
const SERVER_ROWS = ["pages", "search", "sweep", "export", "api", "gate"];
const only = option("only", MODULES.map((m) => m.title).join(",")).split(",");
const port = Number(process.env.BENCH_APP_PORT || process.env.PORT || 3900);
const outDir = path.resolve(".data/bench");
mkdirSync(outDir, { recursive: true });

const cluster = await benchCluster();
// One server per size, both kept up (only one is under load at a time), so rows can alternate
// the sizes round by round and a machine that slows down mid-run slows both alike.
const running = new Map<string, AppServer>();
/** Each server's resident memory once it answered, in bytes: the memory row compares the end of the run with it. */
const rssAtStart = new Map<string, number>();
try {
  for (const n of [smallChanges, largeChanges]) {
    if (!(await benchDatabaseExists(cluster, n)))
      throw new Error(`No bench database for ${n} changes: run npm run bench:data -- --changes ${n}`);
  }
  const size = (changes: number): BenchSize => ({
    changes,
    database: benchDatabaseName(changes),
    appUrl: cluster.appUrl(benchDatabaseName(changes)),
    ownerUrl: cluster.ownerUrl(benchDatabaseName(changes)),
  });
  const small = size(smallChanges);
  const large = size(largeChanges);
  // Data generated before a new migration (an index) gets it here, so a run measures the current schema.
  for (const s of [small, large]) {
    const applied = await migrateAndGrant(s);
    if (applied.length) console.log(`[bench] Applied to ${s.database}: ${applied.join(", ")}`);
  }
  // The vote and lifecycle rows call the app's use cases in this process: they read the environment like the app does.
  process.env.DATABASE_URL = large.appUrl;
  process.env.AUTH_SECRET ||= loadLocalSecrets().authSecret;
  // Every 1,000th event the use case signs a checkpoint, as the app does.
  process.env.AUDIT_SIGNING_KEY ||= loadLocalSecrets().auditSigningKey;
  if (SERVER_ROWS.some((m) => only.includes(m))) buildIfStale(benchAppEnv(large.appUrl, port));

  const ctx: BenchContext = {
    small,
    large,
    duration: Number(option("duration", "10")),
    outDir,
    log: (line) => console.log(line),
    server: async (wanted) => {
      const known = running.get(wanted.database);
      if (known) return known;
      const sizePort = port + (wanted.database === small.database ? 0 : 1);
      console.log(`[bench] next start on ${wanted.database} (port ${sizePort})…`);
      const server = await startAppServer(wanted.appUrl, sizePort, path.join(outDir, `server-${wanted.database}.log`));
      running.set(wanted.database, server);
      rssAtStart.set(wanted.database, treeRss(server.pid));
      return server;
    },
  };

  const rows: BenchRow[] = [];
  for (const row of MODULES.filter((m) => only.includes(m.title))) {
    console.log(`[bench] ${row.title}…`);
    try {
      rows.push(...(await row.run(ctx)));
    } catch (error) {
      console.error(`[bench] ${row.title} failed:`, error);
      rows.push({
        name: row.title,
        figure: "failed",
        baseline: "-",
        ratio: null,
        target: "-",
        note: (error as Error).message.slice(0, 120),
      });
    }
  }
  rows.push(...[small, large].flatMap((s) => memoryRow(s.database, s.changes)));
  const table = renderTable(rows);
  console.log("\n" + table);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`;
  writeFileSync(
    path.join(outDir, "latest.md"),
    `Run ${new Date().toISOString()} on ${machine}; ${small.changes} and ${large.changes} changes.\n\n${table}\n`,
  );
  console.log(
    `\n${machine}\nTable written to ${path.relative(process.cwd(), path.join(outDir, "latest.md"))}; plans in .data/bench/plans.txt.`,
  );
} finally {
  await Promise.all([...running.values()].map((server) => server.stop()));
  await cluster.stop();
}
process.exit(0);

/**
 * A server's resident memory after every row that loaded it, against the same server once started.
 * V8 grows its heap to what the load asks and keeps it (about twice the started server here); a
 * request that stays reachable after its response grows it without bound instead: 1.2 GB, 5.4x,
 * before the abort reasons were settled (lib/server/runtime/settle-abort-reasons.ts).
 */
function memoryRow(database: string, changes: number): BenchRow[] {
  const server = running.get(database);
  const start = rssAtStart.get(database);
  if (!server || start === undefined) return [];
  const end = treeRss(server.pid);
  const loaded = SERVER_ROWS.filter((m) => only.includes(m)).join(", ");
  return [
    {
      name: `Server memory at the end of the run (${changes.toLocaleString("en-US")} changes)`,
      figure: `${mb(end)} resident`,
      baseline: `${mb(start)} (the same server once started)`,
      ratio: end / start,
      target: "<= 3",
      note: `after the ${loaded} rows`,
    },
  ];
}

function renderTable(rows: BenchRow[]): string {
  const head = ["row", "project", "raw baseline", "ratio", "target", "meets", "note"];
  const body = rows.map((r) => {
    const m = meets(r);
    return [
      r.name,
      r.figure,
      r.baseline,
      r.ratio === null ? "-" : r.ratio.toFixed(2),
      r.target,
      m === null ? "-" : m ? "yes" : "NO",
      r.note ?? "",
    ];
  });
  return [head, head.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
