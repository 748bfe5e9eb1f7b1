// `next build` only when the sources changed since the last build: a fingerprint of every
// input file is kept beside the build output.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "prisma/schema.prisma",
  "prisma/seed",
  "next.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function files(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
}

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap(files)) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** Where next.config.ts puts the build for this environment: the bench's own build is kept apart. */
export function distDir(env: NodeJS.ProcessEnv): string {
  return env.PORTAL_BENCH_BUILD === "1" ? ".next-bench" : ".next";
}

export function buildIfStale(env: NodeJS.ProcessEnv): void {
  const fingerprint = sourceFingerprint();
  const dist = distDir(env);
  const stamp = path.join(dist, "portal-build-fingerprint");
  const built = existsSync(path.join(dist, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint;
  if (built) return;
  console.log("[build] Sources changed since the last build (or there is none): running next build…");
  const result = spawnSync(process.execPath, [nextBin(), "build"], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
  writeFileSync(stamp, fingerprint);
}

export function nextBin(): string {
  return path.resolve("node_modules/next/dist/bin/next");
}
