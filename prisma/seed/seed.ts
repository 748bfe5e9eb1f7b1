// Seeds an empty database: demo users in demo mode, or a first admin in production mode.
import type { Db } from "../../lib/server/db/create-prisma-client";
import { hashPassword, PASSWORD_MIN_LENGTH } from "../../lib/server/auth/password";
import { seedDemoRoleGrants } from "./demo-role-grants";
import { seedDemoServiceAccount } from "./demo-service-account";
import { seedDemoWebhook } from "./demo-webhook";
import { DEMO_PASSWORD, DEMO_USERS } from "./demo-users";

/** webhookReceiverBase: the portal's address for the demo's own webhook receiver (scripts/lib/demo-webhook-receiver.ts). */
export type SeedOptions =
  { mode: "demo"; webhookReceiverBase?: string } | { mode: "production"; admin: { email?: string; password?: string; name?: string } };

export type SeedResult = "seeded-demo" | "created-first-admin" | "not-empty";

// The demo's users go in at once, with a password hash made inside: longer than Prisma's default on a loaded machine.
const SEED_TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

export async function seedIfEmpty(db: Db, options: SeedOptions): Promise<SeedResult> {
  if ((await db.user.count()) > 0) return "not-empty";
  if (options.mode === "demo") {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.$transaction(async (tx) => {
      const ids = new Map<string, string>();
      for (const user of DEMO_USERS) {
        const created = await tx.user.create({
          data: { email: user.email, name: user.name, passwordHash, roles: { create: user.roles.map((role) => ({ role })) } },
          select: { id: true },
        });
        ids.set(user.email, created.id);
      }
      await seedDemoServiceAccount(tx, ids.get("admin@demo.local")!);
      await seedDemoWebhook(tx, ids.get("admin@demo.local")!, options.webhookReceiverBase);
      await seedDemoRoleGrants(tx, ids);
      await tx.appSetting.upsert({
        where: { key: "demo_data" },
        create: { key: "demo_data", value: true },
        update: { value: true },
      });
    }, SEED_TRANSACTION);
    return "seeded-demo";
  }
  const { email, password, name } = options.admin;
  if (!email || !password) {
    throw new Error("Production mode with an empty database needs ADMIN_EMAIL and ADMIN_PASSWORD to create the first admin.");
  }
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new Error(`ADMIN_PASSWORD must be at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  await db.user.create({
    data: {
      email: email.trim().toLowerCase(),
      name: name?.trim() || "Administrator",
      passwordHash: await hashPassword(password),
      // The password sat in the environment; the admin picks a new one at first sign-in.
      mustChangePassword: true,
      roles: { create: [{ role: "admin" }] },
    },
  });
  return "created-first-admin";
}
