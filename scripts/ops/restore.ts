// `npm run db:restore -- <backup dir>`: replaces the embedded cluster with a backup made by
// db:backup. The current data directory is kept aside, never deleted. The restored cluster is
// started, replays its WAL, and the portal database's audit log is verified before it is used.
import { rename, stat } from "node:fs/promises";
import path from "node:path";
import { restoreBaseBackup } from "../lib/base-backup";
import { startEmbeddedCluster } from "../lib/embedded-postgres";
import { DATA_DIR, loadLocalSecrets } from "../lib/local-secrets";
import { verifyChainInChild } from "../lib/verify-chain-in-child";
import pg from "pg";

if (process.env.DATABASE_URL) {
  console.error("DATABASE_URL is set: restore an external server with its own pg_restore (README, Database, Backups).");
  process.exit(2);
}
const [backupArg, ...rest] = process.argv.slice(2);
if (!backupArg || rest.length) {
  console.error("Usage: npm run db:restore -- <backup directory made by npm run db:backup>");
  process.exit(2);
}
const backupDir = path.resolve(backupArg);
const port = Number(process.env.EMBEDDED_PG_PORT || 54320);
const dataDir = path.join(DATA_DIR, "postgres");

const probe = new pg.Client({
  connectionString: `postgresql://postgres:${encodeURIComponent(loadLocalSecrets().superuserPassword)}@127.0.0.1:${port}/postgres`,
});
if (
  await probe.connect().then(
    () => true,
    () => false,
  )
) {
  await probe.end();
  console.error(`The embedded database is running on port ${port}: stop the portal (npm start / npm run dev) first.`);
  process.exit(1);
}

if (
  await stat(dataDir).then(
    () => true,
    () => false,
  )
) {
  const aside = `${dataDir}.before-restore-${new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
  await rename(dataDir, aside);
  console.log(`Kept the current data directory as ${aside}`);
}
const manifest = await restoreBaseBackup(backupDir, dataDir);
console.log(`Restored the backup "${manifest.label}" (${manifest.finishedAt}); starting it (PostgreSQL replays its WAL)…`);
const cluster = await startEmbeddedCluster("postgres", port);
let verified = true;
try {
  for (const [database, expected] of Object.entries(manifest.auditHeads)) {
    const verdict = await verifyChainInChild(cluster.appUrl(database));
    const holds = verdict.ok && verdict.head.seq >= expected.seq;
    verified &&= holds;
    console.log(
      holds
        ? `  ${database}: audit log VERIFIED up to event ${verdict.head.seq}, ${verdict.checkpointsChecked} signed checkpoints checked`
        : `  ${database}: audit log NOT verified: ${verdict.broken?.message ?? `it ends at event ${verdict.head.seq}, the backup started at ${expected.seq}`}`,
    );
  }
} finally {
  await cluster.stop();
}
if (!verified) {
  console.error("The restored audit log does not verify: do not serve from it (the previous data directory is kept).");
  process.exit(1);
}
console.log("Done: npm start serves the restored database.");
