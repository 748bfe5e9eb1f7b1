// Applies prisma/migrations/*/migration.sql in order and keeps Prisma's _prisma_migrations
// ledger, so `prisma migrate status` agrees wherever Prisma's schema engine is available.
// Not 'server-only': the start script and the test setup run it outside Next.js.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export type MigrationFile = { name: string; sql: string; checksum: string };
export type MigrateResult = { applied: string[]; alreadyApplied: number };
export type MigrateOptions = {
  /** How long one attempt waits for a table's lock; a migration's DDL queued behind a long transaction would stall every query behind it. */
  lockTimeoutMs?: number;
  /** Attempts per migration before giving up; each failed attempt is rolled back whole. */
  attempts?: number;
  onRetry?: (migration: string, attempt: number) => void;
};

const LEDGER_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any fixed number works; it keeps two processes from migrating the same database at once.
const MIGRATION_LOCK_KEY = 72_616_001;

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(ownerUrl: string, migrationsDir: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
  const attempts = options.attempts ?? 10;
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    // Only after the advisory lock: another migrator may rightly take long. A migration may run long; its locks may not wait long.
    await client.query(
      `SET lock_timeout = ${Math.trunc(lockTimeoutMs)}; SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0`,
    );
    await client.query(LEDGER_DDL);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const ledger = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const recorded = ledger.get(migration.name);
      if (recorded) {
        if (!recorded.finished_at) {
          throw new Error(`Migration ${migration.name} started earlier but never finished; repair the database by hand.`);
        }
        if (recorded.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum ${recorded.checksum.slice(0, 12)}… ` +
              `in the database, ${migration.checksum.slice(0, 12)}… on disk). Add a new migration instead of editing an applied one.`,
          );
        }
        continue;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await applyOne(client, migration);
          break;
        } catch (error) {
          const lockTimedOut = (error as { cause?: { code?: string } }).cause?.code === "55P03";
          if (!lockTimedOut) throw error;
          if (attempt >= attempts) {
            throw new Error(
              `Migration ${migration.name} could not take its locks within ${lockTimeoutMs} ms in ${attempts} attempts: ` +
                `a long transaction holds the tables it changes (see pg_stat_activity); nothing of it was applied.`,
              { cause: error },
            );
          }
          options.onRetry?.(migration.name, attempt);
          console.warn(
            `[db] Migration ${migration.name} waited ${lockTimeoutMs} ms for a lock; rolled back, retrying (${attempt}/${attempts}).`,
          );
          await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 5_000)));
        }
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
