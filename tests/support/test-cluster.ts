// The PostgreSQL that tests use: the embedded test cluster (its own port and data folder, so
// tests never touch the development database), or the server DATABASE_URL names.
import pg from "pg";
import { startEmbeddedCluster, withClient } from "../../scripts/lib/embedded-postgres";

export type TestCluster = {
  adminUrl: (database: string) => string;
  ownerUrl: (database: string) => string;
  appUrl: (database: string) => string;
  createDatabase: (name: string, template?: string) => Promise<void>;
  dropDatabase: (name: string) => Promise<void>;
  stop: () => Promise<void>;
};

export const TEMPLATE_DATABASE = "portal_test_template";
export const TEST_CLUSTER_PORT = Number(process.env.EMBEDDED_PG_TEST_PORT || 54330);
// Another port gets its own data folder (in .data/), so two test runs can go side by side.
export const TEST_CLUSTER_FOLDER = TEST_CLUSTER_PORT === 54330 ? "postgres-test" : `postgres-test-${TEST_CLUSTER_PORT}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function testCluster(): Promise<TestCluster> {
  // Inside a test file DATABASE_URL names that file's own database; the configured server is kept aside.
  const external = process.env.TEST_EXTERNAL_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    const owner = process.env.MIGRATION_DATABASE_URL || external;
    const admin = (database: string) => withDatabase(owner, database);
    return {
      adminUrl: admin,
      ownerUrl: admin,
      appUrl: (database) => withDatabase(external, database),
      createDatabase: (name, template) =>
        withClient(admin("postgres"), async (c) => {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
        }),
      dropDatabase: (name) =>
        withClient(admin("postgres"), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
      stop: async () => undefined,
    };
  }
  const cluster = await startEmbeddedCluster(TEST_CLUSTER_FOLDER, TEST_CLUSTER_PORT);
  return {
    adminUrl: cluster.superuserUrl,
    ownerUrl: cluster.ownerUrl,
    appUrl: cluster.appUrl,
    createDatabase: (name, template) => cluster.createDatabase(name, { template, recreate: true }),
    dropDatabase: (name) =>
      withClient(cluster.superuserUrl("postgres"), (c: pg.Client) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
    stop: cluster.stop,
  };
}
