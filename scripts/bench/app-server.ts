// A `next start` of the portal against one bench database, a minted session cookie, and
// measurements through it: autocannon latency percentiles and the server's resident memory.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { signedInClaims } from "../../lib/domain/session-lifetime";
import { appEnv } from "../lib/app-env";
import { nextBin } from "../lib/build";
import { median, ms } from "./types";

export type AppServer = { url: string; pid: number; cookieFor: (userId: string) => Promise<string>; stop: () => Promise<void> };

/** The app's environment for the bench's own build and its servers: the floor page is built in (next.config.ts). */
export function benchAppEnv(appUrl: string, port: number): NodeJS.ProcessEnv {
  // The API rows count every request against the rate limit but must not be refused by it.
  return { ...appEnv(appUrl, port), PORTAL_BENCH_BUILD: "1", API_RATE_LIMIT_PER_MINUTE: "100000000" };
}

export async function startAppServer(appUrl: string, port: number, logFile: string): Promise<AppServer> {
  const env = benchAppEnv(appUrl, port);
  // A server left over from an interrupted run would answer in place of this one, on another database.
  const stale = await fetch(`http://127.0.0.1:${port}/signin`).then(
    () => true,
    () => false,
  );
  if (stale)
    throw new Error(`Port ${port} already answers: stop the server on it (one left by an interrupted run?) or set BENCH_APP_PORT.`);
  const out = openSync(logFile, "a");
  const child: ChildProcess = spawn(process.execPath, [nextBin(), "start", "-p", String(port)], { env, stdio: ["ignore", out, out] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${logFile}.`);
    try {
      const res = await fetch(`${url}/signin`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 90 s; see ${logFile}.`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const secret = env.AUTH_SECRET!;
  return {
    url,
    pid: child.pid!,
    // The cookie next-auth itself would set after a credentials sign-in (JWT strategy, http so no __Secure- prefix).
    cookieFor: async (userId) => {
      const token = signedInClaims(userId, await sessionVersionOf(appUrl, userId), Math.floor(Date.now() / 1000));
      return `next-auth.session-token=${await encode({ token, secret, maxAge: 8 * 60 * 60 })}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** `cpuPerRequest`: the server process's CPU time (user + system) per response, in ms, when its pid was given. */
export type LoadResult = { p50: number; p95: number; requests: number; perSecond: number; failures: number; cpuPerRequest?: number };

/** CPU time a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * `connections` clients request `url` for `seconds` after a short warm-up; latencies of every
 * response. With the server's pid, also its CPU time per response: latencies on a shared
 * machine move with whatever else runs, the work a page costs the server moves much less.
 */
export async function measureLoad(
  url: string,
  cookie: string,
  seconds: number,
  connections = 16,
  serverPid?: number,
  headers: Record<string, string> = {},
  /** A POST whose body is made afresh for every request (a new pipeline run each time). */
  post?: () => string,
): Promise<LoadResult> {
  const requests = post ? [{ method: "POST" as const, setupRequest: (req: object) => ({ ...req, body: post() }) }] : undefined;
  const run = (duration: number) =>
    new Promise<{ latencies: number[]; failures: number; elapsed: number }>((resolve, reject) => {
      const latencies: number[] = [];
      let failures = 0;
      const started = performance.now();
      const instance = autocannon(
        { url, connections, duration, headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(requests ? { requests } : {}) },
        (error) => (error ? reject(error) : resolve({ latencies, failures, elapsed: (performance.now() - started) / 1000 })),
      );
      instance.on("response", (_client: unknown, status: number, _bytes: number, time: number) => {
        if (status !== 200) failures++;
        latencies.push(time);
      });
    });
  await run(Math.max(2, Math.round(seconds / 4)));
  const cpuBefore = serverPid ? processCpuMs(serverPid) : 0;
  const { latencies, failures, elapsed } = await run(seconds);
  const cpuPerRequest = serverPid ? (processCpuMs(serverPid) - cpuBefore) / Math.max(1, latencies.length) : undefined;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), requests: latencies.length, perSecond: latencies.length / elapsed, failures, cpuPerRequest };
}

/** A process and its descendants (Linux /proc). */
function processTree(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(path.join("/proc", name, "stat"), "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function rssOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Resident memory of a process and its descendants, in bytes. */
export function treeRss(rootPid: number): number {
  return rssOf(processTree(rootPid));
}

/**
 * Samples the tree's resident memory every `everyMs` until stopped; returns the peak. The tree is
 * found once: walking all of /proc every 50 ms cost the process that downloads the export, whose
 * rate is being measured, a few per cent of its time.
 */
export function sampleRss(pid: number, everyMs = 50): { stop: () => number } {
  const pids = processTree(pid);
  let peak = rssOf(pids);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pids))), everyMs);
  return { stop: () => (clearInterval(timer), (peak = Math.max(peak, rssOf(pids)))) };
}

/** The user's current session version: a cookie minted with another is refused as ended. */
async function sessionVersionOf(appUrl: string, userId: string): Promise<number> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    return Number((await client.query("SELECT session_version FROM users WHERE id = $1", [userId])).rows[0]?.session_version ?? 0);
  } finally {
    await client.end();
  }
}

/** The median round of one measured URL (p50, p95 and server CPU each the median over the rounds). */
export function medianLoad<K extends string>(rounds: Record<K, LoadResult>[], key: K): LoadResult {
  return {
    ...rounds[0]![key],
    p50: median(rounds.map((m) => m[key].p50)),
    p95: median(rounds.map((m) => m[key].p95)),
    cpuPerRequest: median(rounds.map((m) => m[key].cpuPerRequest ?? NaN)),
  };
}

export const loadPair = (r: LoadResult) => `p50 ${ms(r.p50)} / p95 ${ms(r.p95)}`;
