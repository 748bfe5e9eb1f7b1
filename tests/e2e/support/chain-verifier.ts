// Drives verify-chain-child.ts: the portal's live verification (hashes, links, the head and every
// signed checkpoint) against a database, from a test that runs in plain Node.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { LiveVerification } from "../../../lib/server/audit-verification/verify-live-chain";

export type ChainVerifier = { verify: () => Promise<LiveVerification | { ok: false; error: string }>; close: () => Promise<void> };

export function startChainVerifier(env: NodeJS.ProcessEnv): ChainVerifier {
  const child: ChildProcessWithoutNullStreams = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["--import", "./scripts/lib/allow-server-only.mjs", "tests/e2e/support/verify-chain-child.ts"],
    { env, stdio: "pipe" },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    verify: async () => {
      child.stdin.write("verify\n");
      const next = await lines.next();
      if (next.done) throw new Error(`The chain verifier exited: ${stderr}`);
      return JSON.parse(next.value);
    },
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
