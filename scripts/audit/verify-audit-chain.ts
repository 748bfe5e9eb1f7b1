// Run with `tsx --import ./scripts/lib/allow-server-only.mjs` (db:restore does): the portal's own
// live verification of the audit log in the database DATABASE_URL names, checkpoints checked
// against AUDIT_SIGNING_KEY's public key. Prints the verdict as one JSON line; exit 0 verified, 1 not.
import { verifyLiveChain } from "../../lib/server/audit-verification/verify-live-chain";
import { db } from "../../lib/server/db/db";
import { pgPool } from "../../lib/server/db/pg-pool";

const result = await verifyLiveChain(() => undefined);
console.log(JSON.stringify(result));
await db().$disconnect();
await pgPool().end();
process.exit(result.ok ? 0 : 1);
