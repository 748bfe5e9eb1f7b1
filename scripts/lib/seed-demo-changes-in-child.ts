import path from "node:path";
import { loadLocalSecrets } from "./local-secrets";
import { run } from "./run";

/** Seeds the demo changes in a child process that may load the app's server modules (see allow-server-only.mjs). */
export async function seedDemoChangesInChild(appUrl: string): Promise<void> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  const code = await run(tsx, ["--import", "./scripts/lib/allow-server-only.mjs", "scripts/ops/demo-seed-child.ts"], {
    ...process.env,
    DATABASE_URL: appUrl,
    AUTH_SECRET: process.env.AUTH_SECRET || loadLocalSecrets().authSecret,
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY || loadLocalSecrets().auditSigningKey,
    // The demo's mails link to the portal as it will be served.
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT || 3000}`,
  });
  if (code !== 0) throw new Error("Seeding the demo changes failed; see the output above.");
}
