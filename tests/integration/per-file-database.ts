// Before each test file: a fresh database cloned from the migrated template. The app's code
// reads DATABASE_URL (as the application role) on first use, so it connects to this one.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { TEMPLATE_DATABASE, testCluster } from "../support/test-cluster";

const cluster = await testCluster();
process.env.TEST_EXTERNAL_DATABASE_URL ??= process.env.DATABASE_URL ?? "";
const database = `portal_test_${randomBytes(6).toString("hex")}`;
await cluster.createDatabase(database, TEMPLATE_DATABASE);

process.env.DATABASE_URL = cluster.appUrl(database);
process.env.TEST_OWNER_URL = cluster.ownerUrl(database);
process.env.TEST_DATABASE_NAME = database;
process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
process.env.AUDIT_SIGNING_KEY ??= generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT ??= "3";
process.env.LOGIN_MAX_FAILURES_PER_ADDRESS ??= "6";

afterAll(async () => {
  const holder = globalThis as {
    portalDb?: { $disconnect: () => Promise<void> };
    portalPgPool?: { end: () => Promise<void> };
    portalExportPool?: { end: () => Promise<void> };
  };
  await holder.portalDb?.$disconnect();
  await holder.portalPgPool?.end();
  await holder.portalExportPool?.end();
  await cluster.dropDatabase(database);
});
