// Run with `tsx --import ./scripts/lib/allow-server-only.mjs`, in the application's environment
// (app-env.ts: its own role, never the owner's): the job queue's worker. `--once` runs the jobs
// due now and exits (the demo seed, the e2e setup); otherwise it runs until SIGINT or SIGTERM.
import { db } from "../../lib/server/db/db";
import { runDueJobs, startWorker } from "../../lib/server/worker/run-worker";

if (process.argv.includes("--once")) {
  await runDueJobs();
  await db().$disconnect();
} else {
  // graphile-worker handles SIGINT and SIGTERM: it stops taking jobs and lets running ones finish.
  const runner = await startWorker({ handleSignals: true });
  console.log("[worker] Delivering queued messages.");
  await runner.promise;
  await db().$disconnect();
}
