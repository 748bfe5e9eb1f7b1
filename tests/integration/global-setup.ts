// Once per integration run: bring up the test cluster and migrate a template database that
// every test file clones (CREATE DATABASE … TEMPLATE is much faster than migrating anew).
import pg from "pg";
import { migrateAndGrant } from "../../scripts/lib/database";
import { TEMPLATE_DATABASE, testCluster } from "../support/test-cluster";

export default async function setup() {
  const cluster = await testCluster();
  await cluster.createDatabase(TEMPLATE_DATABASE);
  await migrateAndGrant({ ownerUrl: cluster.ownerUrl(TEMPLATE_DATABASE), appUrl: cluster.appUrl(TEMPLATE_DATABASE) });
  // Approvers in most files sign in with a password alone; the second-factor tests turn the policy back on.
  const client = new pg.Client({ connectionString: cluster.ownerUrl(TEMPLATE_DATABASE) });
  await client.connect();
  await client.query(`INSERT INTO app_settings (key, value) VALUES ('second_factor_policy', '"off"')`);
  await client.end();
  return async () => {
    await cluster.dropDatabase(TEMPLATE_DATABASE);
    await cluster.stop();
  };
}
