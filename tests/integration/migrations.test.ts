import { cp, mkdtemp, appendFile } from "node:fs/promises";
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
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
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
