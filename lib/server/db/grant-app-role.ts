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
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
