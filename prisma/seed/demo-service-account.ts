// The demo's service account: a deploy pipeline with one token, so the token pages show one at
// work. The token's secret is random and thrown away here: it is in no file and no log.
import { randomBytes } from "node:crypto";
import { tokenExpiry } from "../../lib/domain/api-scopes";
import { base32, newToken } from "../../lib/domain/api-token";
import { hashPassword } from "../../lib/server/auth/password";
import type { Tx } from "../../lib/server/db/transaction";

export const DEMO_SERVICE_ACCOUNT = { name: "Deploy pipeline", email: "deploy-pipeline@service-account.invalid" } as const;

export async function seedDemoServiceAccount(tx: Tx, createdById: string): Promise<void> {
  const account = await tx.user.create({
    data: {
      ...DEMO_SERVICE_ACCOUNT,
      kind: "service_account",
      // A password nobody knows: a service account never signs in.
      passwordHash: await hashPassword(base32(randomBytes(32))),
      roles: { create: [{ role: "requester" }, { role: "implementer" }] },
    },
    select: { id: true },
  });
  const { publicId, secretHash } = newToken();
  const now = new Date();
  await tx.apiToken.create({
    data: {
      publicId,
      secretHash,
      ownerId: account.id,
      name: "Release pipeline",
      scopes: ["changes:read", "changes:write", "cmdb:read"],
      createdById,
      createdAt: now,
      expiresAt: tokenExpiry(now, 90),
    },
  });
}
