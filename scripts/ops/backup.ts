// `npm run db:backup [-- --out <dir>]`: an online physical backup of the embedded cluster (every
// database, the roles, the WAL to make it consistent) into .data/backups/<time>/, while the portal
// keeps serving. An external server (DATABASE_URL set) is backed up with its own pg_dump (README).
import path from "node:path";
import { takeBaseBackup } from "../lib/base-backup";
import { startEmbeddedCluster } from "../lib/embedded-postgres";
import { DATA_DIR } from "../lib/local-secrets";

if (process.env.DATABASE_URL) {
  console.error(
    "DATABASE_URL is set: the portal uses an external server. Back it up with that server's own pg_dump (the same major version), " +
      'as the README says under Database, Backups: pg_dump --format=custom --file portal.dump "$MIGRATION_DATABASE_URL".',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
if (args.some((a, i) => a !== "--out" && i !== outIndex + 1) || (outIndex >= 0 && !args[outIndex + 1])) {
  console.error("Usage: npm run db:backup [-- --out <new directory>]");
  process.exit(2);
}
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, "")
  .replace(/\.\d+Z$/, "Z");
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1]! : path.join(DATA_DIR, "backups", `portal-${stamp}`));

const cluster = await startEmbeddedCluster("postgres", Number(process.env.EMBEDDED_PG_PORT || 54320));
try {
  const manifest = await takeBaseBackup({ superuserUrl: cluster.superuserUrl, dataDir: path.join(DATA_DIR, "postgres"), outDir });
  console.log(
    `Backed up the embedded cluster (PostgreSQL ${manifest.serverVersion}, ${manifest.files} files, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MiB) into ${outDir}`,
  );
  for (const [database, head] of Object.entries(manifest.auditHeads))
    console.log(`  ${database}: audit log up to event ${head.seq} (${head.hash})`);
  console.log("Copy it off this machine, with .data/secrets.json kept apart (it holds the database passwords and the audit signing key).");
  console.log(`Restore with: npm run db:restore -- ${path.relative(process.cwd(), outDir) || outDir}`);
} finally {
  await cluster.stop();
}
