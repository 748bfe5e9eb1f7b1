// A long-lived child that runs the portal's own live chain verification on request: one line in
// ("verify"), one JSON line out. A child, because lib/server code must not load in the test runner
// (see scripts/lib/allow-server-only.mjs), and long-lived, so each check costs no start-up.
import { createInterface } from "node:readline";
import { verifyLiveChain } from "../../../lib/server/audit-verification/verify-live-chain";

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "verify") continue;
  const answer = await verifyLiveChain(() => undefined).catch((error: Error) => ({ ok: false, error: error.message }));
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
process.exit(0);
