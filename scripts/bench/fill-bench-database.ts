// `npm run bench:data -- --changes 100000 [--in-flight 150]`: a fresh bench database filled with
// realistic history; --in-flight sets how many recent changes are open (data/generate-bench-data.ts).
import pg from "pg";
import { hashPassword } from "../../lib/server/auth/password";
import { benchCluster, benchDatabaseName } from "./bench-database";
import { BENCH_PASSWORD } from "./bench-fixtures";
import { generateBenchData } from "./data/generate-bench-data";
import { migrateAndGrant } from "../lib/database";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} takes a positive whole number.`);
  return value;
}

const changes = option("changes", 100_000);
const seed = option("seed", 20261123);
const inFlight = option("in-flight", 150);
const database = benchDatabaseName(changes);
const cluster = await benchCluster();
try {
  console.log(`[bench:data] Recreating ${database} on the bench cluster (port ${cluster.port})…`);
  await cluster.createDatabase(database, { recreate: true });
  await migrateAndGrant({ appUrl: cluster.appUrl(database), ownerUrl: cluster.ownerUrl(database) });
  const clients = [
    new pg.Client({ connectionString: cluster.ownerUrl(database) }),
    new pg.Client({ connectionString: cluster.ownerUrl(database) }),
  ] as const;
  await Promise.all(clients.map((c) => c.connect()));
  try {
    // Bench data only: a crash loses the run anyway, so commits need not wait for the disk.
    await Promise.all(clients.map((c) => c.query("SET synchronous_commit = off")));
    const result = await generateBenchData(clients[0], clients[1], await hashPassword(BENCH_PASSWORD), {
      changes,
      inFlight,
      seed,
      log: console.log,
    });
    console.log(
      `[bench:data] Done in ${result.seconds.toFixed(0)} s: ${result.events} audit events (${(result.events / changes).toFixed(1)} per change, ${Math.round(result.events / result.seconds)} events/s overall).`,
    );
    for (const [table, n] of Object.entries(result.tables)) console.log(`  ${table.padEnd(28)} ${n}`);
    console.log(`  chain head: seq ${result.head.seq}, ${result.head.hash}`);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
} finally {
  await cluster.stop();
}
