// The application's database role may read and write rows but owns nothing, so it cannot
// alter or drop tables, nor disable or drop their triggers (only an owner can).
// Not 'server-only': run by the migration step outside Next.js.
import type pg from "pg";

/** Tables whose rows the application may add but never change; their triggers also refuse it. */
export const APPEND_ONLY_TABLES: readonly string[] = ["audit_events", "audit_checkpoints"];

export async function grantAppRole(owner: pg.Client, appRole: string): Promise<void> {
  const role = quoteIdent(appRole);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await owner.query(`REVOKE ALL ON "_prisma_migrations" FROM ${role}`);
  for (const table of APPEND_ONLY_TABLES) {
    await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${quoteIdent(table)} FROM ${role}`);
  }
  await grantJobQueue(owner, role);
}

/** The job queue's schema (graphile-worker's, migrated by the owner): rows and functions, never its DDL or its migration ledger's writes. */
async function grantJobQueue(owner: pg.Client, role: string): Promise<void> {
  const { rowCount } = await owner.query("SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'");
  if (!rowCount) return;
  await owner.query(`GRANT USAGE ON SCHEMA graphile_worker TO ${role}`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO ${role}`);
  await owner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO ${role}`);
  await owner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO ${role}`);
  // The worker reads which migrations ran (and refuses a newer schema); only the owner records one.
  await owner.query(`REVOKE INSERT, UPDATE, DELETE ON graphile_worker.migrations FROM ${role}`);
  // graphile-worker turns row-level security on for its tables (only their owner bypasses it):
  // the application's role, which owns nothing, gets a policy letting it work every row.
  const { rows } = await owner.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity`,
  );
  for (const { table } of rows) {
    const target = `graphile_worker.${quoteIdent(table)}`;
    await owner.query(`DROP POLICY IF EXISTS portal_app_jobs ON ${target}`);
    await owner.query(`CREATE POLICY portal_app_jobs ON ${target} FOR ALL TO ${role} USING (true) WITH CHECK (true)`);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
