import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/server/db/create-prisma-client";
import { seedIfEmpty } from "@/prisma/seed/seed";
import { DEMO_USERS } from "@/prisma/seed/demo-users";
import { testCluster } from "../support/test-cluster";
import { migrateAndGrant } from "../../scripts/lib/database";

async function withEmptyDatabase(fn: (db: ReturnType<typeof createPrismaClient>) => Promise<void>) {
  const cluster = await testCluster();
  const name = `portal_seed_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await cluster.createDatabase(name);
  await migrateAndGrant({ ownerUrl: cluster.ownerUrl(name), appUrl: cluster.appUrl(name) });
  const db = createPrismaClient(cluster.appUrl(name), { max: 2 });
  try {
    await fn(db);
  } finally {
    await db.$disconnect();
    await cluster.dropDatabase(name);
  }
}

describe("seeding an empty database", () => {
  it("in demo mode: one user per role plus one with several, and the demo flag; a second run does nothing", () =>
    withEmptyDatabase(async (db) => {
      expect(await seedIfEmpty(db, { mode: "demo" })).toBe("seeded-demo");
      const users = await db.user.findMany({ where: { kind: "user" }, include: { roles: true }, orderBy: { email: "asc" } });
      expect(users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email).sort());
      // One service account with one token, whose secret was never kept (only its hash is stored).
      const [bot, ...more] = await db.user.findMany({ where: { kind: "service_account" }, include: { roles: true, apiTokens: true } });
      expect(more).toEqual([]);
      expect(bot).toMatchObject({ name: "Deploy pipeline", active: true });
      expect(bot!.roles.map((r) => r.role).sort()).toEqual(["implementer", "requester"]);
      expect(bot!.apiTokens).toHaveLength(1);
      expect(bot!.apiTokens[0]!.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(users.flatMap((u) => u.roles.map((r) => r.role))).size).toBe(7);
      expect(users.some((u) => u.roles.length > 1)).toBe(true);
      expect((await db.appSetting.findUnique({ where: { key: "demo_data" } }))?.value).toBe(true);
      // Two-person role grants: one approved (behind Lee Lead's CAB seat), one awaiting a second admin.
      const grants = await db.roleGrantRequest.findMany({ orderBy: { requestedAt: "asc" }, include: { grants: true } });
      expect(grants.map((g) => [g.role, g.status, g.grants.length])).toEqual([
        ["cab_member", "approved", 1],
        ["change_manager", "pending", 0],
      ]);
      expect(grants[0]!.decidedById).not.toBe(grants[0]!.requestedById);
      expect(await seedIfEmpty(db, { mode: "demo" })).toBe("not-empty");
      expect(await db.user.count()).toBe(DEMO_USERS.length + 1);
    }));

  it("in production mode: no demo users, a first admin from the environment who must change the password", () =>
    withEmptyDatabase(async (db) => {
      await expect(seedIfEmpty(db, { mode: "production", admin: {} })).rejects.toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
      await expect(seedIfEmpty(db, { mode: "production", admin: { email: "a@example.org", password: "short" } })).rejects.toThrow(
        /at least 12/,
      );
      const result = await seedIfEmpty(db, {
        mode: "production",
        admin: { email: " Boss@Example.org ", password: "a long enough passphrase", name: "Boss" },
      });
      expect(result).toBe("created-first-admin");
      const users = await db.user.findMany({ include: { roles: true } });
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: "boss@example.org", name: "Boss", mustChangePassword: true });
      expect(users[0]!.roles.map((r) => r.role)).toEqual(["admin"]);
      expect(await db.appSetting.findUnique({ where: { key: "demo_data" } })).toBeNull();
    }));
});
