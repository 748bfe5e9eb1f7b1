// graphile-worker keeps its own schema (graphile_worker) and migrates it itself. It runs here, as
// the schema owner at migrate time, so the application's role never needs to create anything.
// Not 'server-only': run by the migration step outside Next.js.
import { runMigrations } from "graphile-worker";
import { queueLogger } from "./queue-logger";

export const JOB_QUEUE_SCHEMA = "graphile_worker";

export async function migrateJobQueue(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, schema: JOB_QUEUE_SCHEMA, logger: queueLogger() });
}
