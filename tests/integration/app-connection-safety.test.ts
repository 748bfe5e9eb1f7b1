import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsafeAppConnection } from "../../scripts/lib/app-connection-safety";
import { testCluster, type TestCluster } from "../support/test-cluster";

// The start command's check of the web server's own connection, against real roles of the cluster.
const database = process.env.TEST_DATABASE_NAME!;
const embedded = !process.env.TEST_EXTERNAL_DATABASE_URL;
const memberRole = `portal_probe_${randomBytes(4).toString("hex")}`;
const memberPassword = randomBytes(12).toString("hex");
let cluster: TestCluster;

function asRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: cluster.adminUrl(database) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await testCluster();
});

describe("unsafeAppConnection", () => {
  it("finds nothing wrong with the application's own role", async () => {
    expect(await unsafeAppConnection(cluster.appUrl(database), cluster.ownerUrl(database))).toEqual([]);
  });

  it("refuses the migration role: it is the schema owner", async () => {
    const problems = await unsafeAppConnection(cluster.ownerUrl(database), cluster.ownerUrl(database));
    expect(problems.join("\n")).toMatch(/the migration role/);
    // The portal's own tables are named first, before the job queue's.
    expect(problems.join("\n")).toMatch(/owns or inherits the ownership of \d+ relations \(_prisma_migrations, api_/);
  });

  it.runIf(embedded)("refuses a superuser", async () => {
    const problems = await unsafeAppConnection(cluster.adminUrl(database), cluster.ownerUrl(database));
    expect(problems.join("\n")).toMatch(/a superuser/);
  });

  describe("a role of its own that inherits the owner's rights", () => {
    beforeAll(async () => {
      await asAdmin(`CREATE ROLE ${memberRole} LOGIN PASSWORD '${memberPassword}' IN ROLE portal_owner`);
    });
    afterAll(async () => {
      await asAdmin(`DROP ROLE IF EXISTS ${memberRole}`);
    });

    it("is refused: it owns the tables in all but name", async () => {
      const problems = await unsafeAppConnection(asRole(cluster.appUrl(database), memberRole, memberPassword), cluster.ownerUrl(database));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`role "${memberRole}", which owns or inherits the ownership of`));
    });
  });
});

describe("npm start in production mode", () => {
  it("refuses to start when the application would connect as the schema owner", () => {
    const owner = cluster.ownerUrl(database);
    const run = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ops/start.ts"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        PORTAL_MODE: "production",
        DATABASE_URL: owner,
        MIGRATION_DATABASE_URL: owner,
        PORT: "3999",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Refusing to start in production mode:[\s\S]*the migration role/);
  });
});
