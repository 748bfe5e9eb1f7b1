import { spawn } from "node:child_process";
import path from "node:path";
import type { LiveVerification } from "../../lib/server/audit-verification/verify-live-chain";
import { loadLocalSecrets } from "./local-secrets";

/** The live verifier (scripts/audit/verify-audit-chain.ts) on the database `appUrl`, in a child process that may load the app's server modules. */
export function verifyChainInChild(
  appUrl: string,
  auditSigningKey = process.env.AUDIT_SIGNING_KEY || loadLocalSecrets().auditSigningKey,
): Promise<LiveVerification> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.resolve("node_modules/.bin/tsx"),
      ["--import", "./scripts/lib/allow-server-only.mjs", "scripts/audit/verify-audit-chain.ts"],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: "production",
          DATABASE_URL: appUrl,
          AUDIT_SIGNING_KEY: auditSigningKey,
          AUTH_SECRET: "x".repeat(32),
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", () => {
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        resolve(JSON.parse(line) as LiveVerification);
      } catch {
        reject(new Error(`The audit verification printed no verdict: ${out.trim() || "(nothing)"}`));
      }
    });
  });
}
