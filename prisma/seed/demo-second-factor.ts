// The demo's second factor: the policy off, so every demo account approves with its password
// alone (README, Second factor and step-up), and one CAB member with an authenticator app whose
// key is published in the README, to try the code at sign-in and the step-up prompt.
import { hashPassword } from "../../lib/server/auth/password";
import { SECOND_FACTOR_POLICY_SETTING } from "../../lib/server/auth/second-factor-policy";
import { encryptTotpSecret, recoveryCodeHash } from "../../lib/server/auth/totp-crypto";
import { db } from "../../lib/server/db/db";
import { DEMO_PASSWORD } from "./demo-users";

export const DEMO_TOTP_USER = { email: "cab-mfa@demo.local", name: "Toni Two-Step" } as const;
/** Published on purpose (README): a demo key, never a real one. */
export const DEMO_TOTP_SECRET = "KRUGS4ZAON2GK4BAMRSW233PEBVWK6JB";
export const DEMO_RECOVERY_CODE = "DEMO2-RECOV";

export async function seedDemoSecondFactor(): Promise<void> {
  await db().appSetting.upsert({
    where: { key: SECOND_FACTOR_POLICY_SETTING },
    create: { key: SECOND_FACTOR_POLICY_SETTING, value: "off" },
    update: {},
  });
  if (await db().user.findUnique({ where: { email: DEMO_TOTP_USER.email }, select: { id: true } })) return;
  await db().user.create({
    data: {
      ...DEMO_TOTP_USER,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      roles: { create: [{ role: "cab_member" }] },
      totp: { create: { secretCiphertext: encryptTotpSecret(DEMO_TOTP_SECRET), confirmedAt: new Date() } },
      recoveryCodes: { create: [{ codeHash: recoveryCodeHash(DEMO_RECOVERY_CODE) }] },
    },
  });
}
