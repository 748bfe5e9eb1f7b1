import { appendFile, cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, readMigrations } from "@/lib/server/db/migrate";
import { testCluster } from "../support/test-cluster";

const MIGRATIONS = path.resolve("prisma/migrations");

describe("migration runner", () => {
  it("applies every migration to an empty database, then nothing on a second run", async () => {
    const cluster = await testCluster();
    const name = `portal_migrate_${Date.now()}`;
    await cluster.createDatabase(name);
    try {
      const all = await readMigrations(MIGRATIONS);
      const first = await migrate(cluster.ownerUrl(name), MIGRATIONS);
      expect(first.applied).toEqual(all.map((m) => m.name));
      const second = await migrate(cluster.ownerUrl(name), MIGRATIONS);
      expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    } finally {
      await cluster.dropDatabase(name);
    }
  });

  it("keeps Prisma's ledger with the SHA-256 of each file", async () => {
    const { Client } = (await import("pg")).default;
    const client = new Client({ connectionString: process.env.TEST_OWNER_URL });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await client.end();
    const files = await readMigrations(MIGRATIONS);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at instanceof Date && r.applied_steps_count === 1)).toBe(true);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const edited = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
    await cp(MIGRATIONS, edited, { recursive: true });
    const [first] = await readMigrations(edited);
    await appendFile(path.join(edited, first!.name, "migration.sql"), "\n-- an edit after the fact\n");
    await expect(migrate(process.env.TEST_OWNER_URL!, edited)).rejects.toThrow(/was changed after it was applied/);
  });
});

describe("a migration behind a long transaction", () => {
  async function withExtraMigration(sql: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
    await cp(MIGRATIONS, dir, { recursive: true });
    const name = `99999999999999_lock_probe_${Date.now()}`;
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
    return dir;
  }

  /** The application reading app_settings in a transaction it keeps open: its lock blocks ALTER TABLE. */
  async function holdTableFor(ms: number | null) {
    const { Client } = (await import("pg")).default;
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT count(*) FROM app_settings");
    const release = async () => {
      await holder.query("ROLLBACK");
      await holder.end();
    };
    if (ms !== null) setTimeout(() => void release(), ms);
    return release;
  }

  it("waits a bounded time for its locks, rolls back and retries until the transaction is gone", async () => {
    const dir = await withExtraMigration(`ALTER TABLE app_settings ADD COLUMN lock_probe_a integer;`);
    await holdTableFor(900);
    const retries: number[] = [];
    const result = await migrate(process.env.TEST_OWNER_URL!, dir, {
      lockTimeoutMs: 200,
      attempts: 10,
      onRetry: (_m, attempt) => retries.push(attempt),
    });
    expect(result.applied).toHaveLength(1);
    expect(retries.length).toBeGreaterThanOrEqual(1);
  });

  it("gives up with a message that says why, and applies nothing, when the lock never frees", async () => {
    const dir = await withExtraMigration(`ALTER TABLE app_settings ADD COLUMN lock_probe_b integer;`);
    const release = await holdTableFor(null);
    try {
      await expect(migrate(process.env.TEST_OWNER_URL!, dir, { lockTimeoutMs: 100, attempts: 2 })).rejects.toThrow(
        /could not take its locks within 100 ms in 2 attempts/,
      );
    } finally {
      await release();
    }
    const { Client } = (await import("pg")).default;
    const client = new Client({ connectionString: process.env.TEST_OWNER_URL });
    await client.connect();
    const { rowCount } = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'app_settings' AND column_name = 'lock_probe_b'`,
    );
    await client.end();
    expect(rowCount).toBe(0);
  });
});
