// Decides which PostgreSQL the portal uses and makes it ready: migrated, the application's
// role granted, seeded when empty.
import path from "node:path";
import { createPrismaClient } from "../../lib/server/db/create-prisma-client";
import { grantAppRole } from "../../lib/server/db/grant-app-role";
import { migrate } from "../../lib/server/db/migrate";
import { migrateJobQueue } from "../../lib/server/jobs/migrate-job-queue";
import { seedIfEmpty, type SeedOptions, type SeedResult } from "../../prisma/seed/seed";
import { startEmbeddedCluster, withClient, type EmbeddedCluster } from "./embedded-postgres";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export type DatabaseTarget = {
  appUrl: string;
  ownerUrl: string;
  embedded?: EmbeddedCluster;
  stop: () => Promise<void>;
};

/** DATABASE_URL (and MIGRATION_DATABASE_URL) when set; otherwise the embedded cluster `name`. */
export async function resolveDatabase(name: "postgres" | "postgres-test", defaultPort: number, database: string): Promise<DatabaseTarget> {
  const external = process.env.DATABASE_URL;
  if (external) {
    // Without MIGRATION_DATABASE_URL the application is the owner: `npm start` warns, or refuses in production mode (app-connection-safety.ts).
    const ownerUrl = process.env.MIGRATION_DATABASE_URL || external;
    return { appUrl: external, ownerUrl, stop: async () => undefined };
  }
  const port = Number(process.env.EMBEDDED_PG_PORT || defaultPort);
  const embedded = await startEmbeddedCluster(name, port);
  await embedded.createDatabase(database);
  return { appUrl: embedded.appUrl(database), ownerUrl: embedded.ownerUrl(database), embedded, stop: embedded.stop };
}

export async function migrateAndGrant(target: Pick<DatabaseTarget, "appUrl" | "ownerUrl">): Promise<string[]> {
  const lockTimeoutMs = Number(process.env.MIGRATION_LOCK_TIMEOUT_MS) || undefined;
  const { applied } = await migrate(target.ownerUrl, MIGRATIONS_DIR, { lockTimeoutMs });
  await migrateJobQueue(target.ownerUrl);
  const appRole = decodeURIComponent(new URL(target.appUrl).username);
  const ownerRole = decodeURIComponent(new URL(target.ownerUrl).username);
  if (appRole && appRole !== ownerRole) {
    await withClient(target.ownerUrl, (owner) => grantAppRole(owner, appRole));
  }
  return applied;
}

export function seedOptionsFromEnv(): SeedOptions {
  return process.env.PORTAL_MODE === "production"
    ? {
        mode: "production",
        admin: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD, name: process.env.ADMIN_NAME },
      }
    : { mode: "demo" };
}

export async function seed(appUrl: string, options: SeedOptions): Promise<SeedResult> {
  const db = createPrismaClient(appUrl, { max: 2 });
  try {
    return await seedIfEmpty(db, options);
  } finally {
    await db.$disconnect();
  }
}
