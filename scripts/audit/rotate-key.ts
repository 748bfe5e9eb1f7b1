// `npm run audit:rotate-key [-- --key-id <id>]`: retires the audit signing key in use for a new
// one, as an audit event the retiring key signs (lib/server/audit-verification/rotate-signing-key.ts).
// The new key must be held: in production add it to AUDIT_SIGNING_KEY on every instance first
// (after the old one) and restart them; locally, with no AUDIT_SIGNING_KEY set, one is generated
// into .data/secrets.json. Run with `tsx --import ./scripts/lib/allow-server-only.mjs`.
import { keyIdOf, publicKeyPemOf } from "../../lib/domain/audit-checkpoint";
import { appEnv } from "../lib/app-env";
import { migrateAndGrant, resolveDatabase } from "../lib/database";
import { ROTATION_ACTION } from "../../lib/domain/key-history";
import { withClient } from "../lib/embedded-postgres";
import { addLocalAuditSigningKey, generateAuditSigningKey, loadLocalSecrets } from "../lib/local-secrets";

const args = process.argv.slice(2);
const named = args[0] === "--key-id" ? args[1] : undefined;
if (args.length > 0 && !(args.length === 2 && named && /^[0-9a-f]{16}$/.test(named))) {
  console.error("Usage: npm run audit:rotate-key [-- --key-id <16 hex digits of the new key's id>]");
  process.exit(3);
}

/** True when the log has used every key of the local ring already (before the app's modules, which cache the keys, are loaded). */
async function ringIsUsedUp(appUrl: string, ring: string): Promise<boolean> {
  const ids = (ring.match(/-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/g) ?? []).map((pem) =>
    keyIdOf(publicKeyPemOf(pem)),
  );
  const { rows } = await withClient(appUrl, (client) =>
    client.query<{ k: string; p: string }>(
      "SELECT after->>'keyId' AS k, after->>'previousKeyId' AS p FROM audit_events WHERE action = $1",
      [ROTATION_ACTION],
    ),
  );
  const used = new Set([ids[0], ...rows.flatMap((r) => [r.k, r.p])]);
  return ids.every((id) => used.has(id));
}

const target = await resolveDatabase("postgres", 54320, "portal");
let code = 0;
try {
  await migrateAndGrant(target);
  const configured = Boolean(process.env.AUDIT_SIGNING_KEY);
  Object.assign(process.env, appEnv(target.appUrl, Number(process.env.PORT || 3000)));
  if (!configured) {
    process.env.AUDIT_SIGNING_KEY = loadLocalSecrets().auditSigningKey;
    if (!named) {
      if (await ringIsUsedUp(target.appUrl, process.env.AUDIT_SIGNING_KEY)) {
        const fresh = generateAuditSigningKey();
        process.env.AUDIT_SIGNING_KEY = addLocalAuditSigningKey(fresh);
        console.log(`[audit] Generated a new signing key ${keyIdOf(publicKeyPemOf(fresh))} into .data/secrets.json.`);
      }
    }
  }
  const { rotateSigningKey } = await import("../../lib/server/audit-verification/rotate-signing-key");
  const { db } = await import("../../lib/server/db/db");
  try {
    const rotation = await rotateSigningKey(null, named);
    console.log(
      `[audit] Key ${rotation.previousKeyId} retired for key ${rotation.keyId} at event ${rotation.seq}; the retired key signed the rotation and a checkpoint of it.`,
    );
    console.log(
      "[audit] Running instances now sign with the new key (restart a local server so it loads it). Auditors: download the new public key; the old one still verifies what it signed.",
    );
  } catch (error) {
    console.error(`[audit] ${(error as Error).message}`);
    code = 1;
  } finally {
    await db().$disconnect();
  }
} finally {
  await target.stop();
}
process.exit(code);
