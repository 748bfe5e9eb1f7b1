// `npm start` (production server) and `npm run dev` (development server): bring up the
// database (embedded unless DATABASE_URL is set), migrate, refuse an unsafe application
// connection in production mode, seed when empty, build when stale, serve.
import { spawn } from "node:child_process";
import { appEnv } from "../lib/app-env";
import { isProductionMode, unsafeAppConnection } from "../lib/app-connection-safety";
import { buildIfStale, nextBin } from "../lib/build";
import { DEMO_IDP_DEFAULT_PORT, startDemoIdp } from "../lib/demo-idp";
import { migrateAndGrant, resolveDatabase, seed, seedOptionsFromEnv } from "../lib/database";
import { seedDemoChangesInChild } from "../lib/seed-demo-changes-in-child";
import { demoWebhookReceiver } from "../lib/demo-webhook-receiver";
import { startWorkerChild, untilAnswering, workerInStart } from "../lib/worker-in-child";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);

const target = await resolveDatabase("postgres", 54320, "portal");
const applied = await migrateAndGrant(target);
if (applied.length) console.log(`[db] Applied migrations: ${applied.join(", ")}`);

// After migrating (the tables exist, so who owns them can be read), before anything is served.
const unsafe = await unsafeAppConnection(target.appUrl, target.ownerUrl);
if (unsafe.length && isProductionMode() && !dev) {
  console.error(
    `[db] Refusing to start in production mode:\n${unsafe.map((p) => `  - ${p}`).join("\n")}\nSee README, Database: production checks.`,
  );
  await target.stop();
  process.exit(1);
}
for (const problem of unsafe) console.warn(`[db] ${problem} Production mode refuses to start like this (README, Database).`);
// Demo mode: the portal's own webhook receiver, and a demo subscription pointed at it.
const receiver = demoWebhookReceiver(port);
const seedOptions = seedOptionsFromEnv();
const seeded = await seed(
  target.appUrl,
  seedOptions.mode === "demo" ? { ...seedOptions, webhookReceiverBase: receiver?.base } : seedOptions,
);
if (seeded === "seeded-demo") {
  console.log("[db] Seeded demo users (see README: Demo accounts).");
  await seedDemoChangesInChild(target.appUrl);
}
if (seeded === "created-first-admin") console.log("[db] Created the first admin from ADMIN_EMAIL.");

// Demo mode with no identity provider configured: one of our own, so the sign-in page offers SSO offline.
const demoIdp =
  !isProductionMode() && !process.env.OIDC_ISSUER && process.env.DEMO_IDP !== "0"
    ? await startDemoIdp(
        [process.env.NEXTAUTH_URL || `http://localhost:${port}`],
        Number(process.env.DEMO_IDP_PORT || DEMO_IDP_DEFAULT_PORT),
      )
    : null;
if (demoIdp) console.log(`[idp] Demo identity provider on ${demoIdp.idp.issuer} (README, Single sign-on)`);
const env = { ...appEnv(target.appUrl, port), ...demoIdp?.env, ...receiver?.env };
if (!dev) buildIfStale(env);

const server = spawn(process.execPath, [nextBin(), dev ? "dev" : "start", "-p", String(port)], { stdio: "inherit", env });
console.log(`[portal] ${dev ? "Development" : "Production"} server on http://localhost:${port}`);
if (receiver) console.log(`[webhooks] Demo receiver on; what it verified is at /admin/webhooks/inbox (README, Webhooks)`);
// The job queue's worker (mail, webhooks), beside the server unless START_WORKER=0 (then `npm run worker`).
let worker: ReturnType<typeof startWorkerChild> | null = null;

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    server.kill(signal);
    worker?.kill(signal);
  });
server.on("exit", async (code) => {
  worker?.kill("SIGTERM");
  await demoIdp?.idp.close();
  await new Promise<void>((resolve) => (worker && worker.exitCode === null ? worker.once("exit", () => resolve()) : resolve()));
  await target.stop();
  process.exit(code ?? 0);
});
// With the demo receiver the worker starts once the server answers, so the demo's queued webhooks find it.
if (workerInStart()) {
  if (receiver) await untilAnswering(`${receiver.base}/signin`, 180_000);
  if (server.exitCode === null) worker = startWorkerChild(env);
}
