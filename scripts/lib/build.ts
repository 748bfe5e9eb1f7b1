// `next build` only when the sources changed since the last build: a fingerprint of every
// input file is kept beside the build output.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "prisma/schema.prisma", "prisma/seed", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const STAMP = path.join(".next", "portal-build-fingerprint");

function files(entry: string): string[] {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).sort().flatMap((name) => files(path.join(entry, name)));
}

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap(files)) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

export function buildIfStale(env: NodeJS.ProcessEnv): void {
  const fingerprint = sourceFingerprint();
  const built = existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === fingerprint;
  if (built) return;
  console.log("[build] Sources changed since the last build (or there is none): running next build…");
  const result = spawnSync(process.execPath, [nextBin(), "build"], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
  writeFileSync(STAMP, fingerprint);
}

export function nextBin(): string {
  return path.resolve("node_modules/next/dist/bin/next");
}
