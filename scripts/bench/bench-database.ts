// The bench's own embedded PostgreSQL cluster (.data/postgres-bench), never the dev or test one,
// with one database per generated size.
import { withClient, startEmbeddedCluster, type EmbeddedCluster } from "../lib/embedded-postgres";

export const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT || 54380);

export function benchDatabaseName(changes: number): string {
  return `portal_bench_${changes}`;
}

export async function benchCluster(): Promise<EmbeddedCluster> {
  const cluster = await startEmbeddedCluster("postgres-bench", BENCH_PG_PORT);
  // Bulk loads of millions of rows: fewer forced checkpoints. This cluster holds only bench data.
  await withClient(cluster.superuserUrl("postgres"), async (c) => {
    const { rows } = await c.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'max_wal_size'");
    if (Number(rows[0]?.setting) < 4096) {
      await c.query("ALTER SYSTEM SET max_wal_size = '8GB'");
      await c.query("SELECT pg_reload_conf()");
    }
  });
  return cluster;
}

export async function benchDatabaseExists(cluster: EmbeddedCluster, changes: number): Promise<boolean> {
  return withClient(cluster.superuserUrl("postgres"), async (c) => {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [benchDatabaseName(changes)]);
    return (rowCount ?? 0) > 0;
  });
}
