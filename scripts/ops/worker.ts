// `npm run worker`: the job queue's worker on its own (scale it apart from the web servers; start
// those with START_WORKER=0). Connects to DATABASE_URL, or the embedded database when unset.
import { appEnv } from "../lib/app-env";
import { resolveDatabase } from "../lib/database";
import { startWorkerChild } from "../lib/worker-in-child";

const target = await resolveDatabase("postgres", 54320, "portal");
const worker = startWorkerChild(appEnv(target.appUrl, Number(process.env.PORT || 3000)));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => worker.kill(signal));
worker.on("exit", async (code) => {
  await target.stop();
  process.exit(code ?? 0);
});
