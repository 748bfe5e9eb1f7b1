import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { run } from "./run";

/** How `npm run worker` and `npm start` run the worker: tsx, which runs it in a node process of its own. */
export const WORKER_CHILD_ARGS = ["--import", "./scripts/lib/allow-server-only.mjs", "scripts/ops/worker-child.ts"];

/** The job queue's worker in a child process with the application's environment (appEnv), so it never holds the owner's credentials. */
export function startWorkerChild(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(path.resolve("node_modules/.bin/tsx"), WORKER_CHILD_ARGS, { stdio: "inherit", env });
}

/** Runs the jobs due now (the seeded demo's mails) and waits for them. */
export async function runDueJobsInChild(env: NodeJS.ProcessEnv): Promise<void> {
  const code = await run(path.resolve("node_modules/.bin/tsx"), [...WORKER_CHILD_ARGS, "--once"], env);
  if (code !== 0) throw new Error("Running the queued jobs failed; see the output above.");
}

/** `npm start` runs a worker unless START_WORKER=0 (workers run apart with `npm run worker`). */
export function workerInStart(source: NodeJS.ProcessEnv = process.env): boolean {
  return !["0", "false", "no", "off"].includes((source.START_WORKER ?? "").trim().toLowerCase());
}

/** Resolves once the server at `url` answers (any status), or after `timeoutMs` whatever it does. */
export async function untilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
