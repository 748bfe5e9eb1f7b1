import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { createUser } from "@/lib/server/users/create-user";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { resetPassword } from "@/lib/server/users/set-password";
import { authenticate } from "@/lib/server/auth/authenticate";
import { createTestUser, testDb } from "../support/fixtures";

// The server actions are called directly, as a crafted POST would; only the session lookup is
// replaced, so the actions and use cases below it run for real against PostgreSQL.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const actions = await import("@/app/(portal)/admin/users/actions");

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) data.append(k, x);
  return data;
}

const newUser = (email: string) => ({ name: "New Person", email, temporaryPassword: "temporary-password-1", roles: ["requester"] });

describe("user administration", () => {
  let admin: Awaited<ReturnType<typeof createTestUser>>;
  let requester: Awaited<ReturnType<typeof createTestUser>>;
  beforeEach(async () => {
    admin = await createTestUser({ roles: ["admin"] });
    requester = await createTestUser({ roles: ["requester"] });
  });

  describe("refuses a non-admin on the server, whatever the page showed", () => {
    it("in every server action called directly", async () => {
      session.actor = requester.actor;
      const refusal = { ok: false, message: "Only an admin can manage users." };
      expect(await actions.createUserAction({ ok: true }, form(newUser("x@example.test")))).toMatchObject(refusal);
      expect(await actions.changeRoleAction({ ok: true }, form({ userId: requester.id, role: "admin", grant: "true" }))).toMatchObject(
        refusal,
      );
      expect(await actions.setActiveAction({ ok: true }, form({ userId: admin.id, active: "false" }))).toMatchObject(refusal);
      expect(
        await actions.resetPasswordAction({ ok: true }, form({ userId: admin.id, temporaryPassword: "another-password-9" })),
      ).toMatchObject(refusal);
      const roles = await testDb().userRole.findMany({ where: { userId: requester.id } });
      expect(roles.map((r) => r.role)).toEqual(["requester"]);
      expect(await testDb().user.count({ where: { email: "x@example.test" } })).toBe(0);
    });

    it("and a signed-out caller", async () => {
      session.actor = null;
      expect(await actions.createUserAction({ ok: true }, form(newUser("y@example.test")))).toMatchObject({
        ok: false,
        message: "Your session has ended. Sign in again.",
      });
    });
  });

  it("creates a user with a temporary password they must change", async () => {
    const result = await createUser(admin.actor, newUser("new.person@example.test"));
    expect(result.ok).toBe(true);
    const user = await testDb().user.findUniqueOrThrow({ where: { email: "new.person@example.test" }, include: { roles: true } });
    expect(user.mustChangePassword).toBe(true);
    expect(user.roles.map((r) => [r.role, r.grantedById])).toEqual([["requester", admin.id]]);
    expect((await authenticate({ email: "new.person@example.test", password: "temporary-password-1" }, "203.0.113.9")).ok).toBe(true);
  });

  it("keeps what was typed and says what to fix when the form is wrong", async () => {
    session.actor = admin.actor;
    const typed = { name: "", email: "not-an-email", temporaryPassword: "short", roles: [] as string[] };
    const state = await actions.createUserAction({ ok: true }, form(typed));
    expect(state.ok).toBe(false);
    expect(state.fieldErrors).toMatchObject({
      name: "Enter the person's name.",
      email: "Enter a valid email address.",
      temporaryPassword: "Use at least 12 characters.",
      roles: "Choose at least one role.",
    });
    expect(state.values).toMatchObject({ email: "not-an-email", temporaryPassword: "short" });
  });

  it("refuses a second account with the same address, in any case", async () => {
    const result = await createUser(admin.actor, newUser(requester.email.toUpperCase()));
    expect(result).toMatchObject({ ok: false, fieldErrors: { email: "A user with this email address already exists." } });
  });

  it("grants and removes roles (privileged ones by two admins: tests/integration/role-grants.test.ts)", async () => {
    expect(await changeUserRole(admin.actor, { userId: requester.id, role: "implementer", grant: true })).toMatchObject({ ok: true });
    expect(await changeUserRole(admin.actor, { userId: requester.id, role: "requester", grant: false })).toMatchObject({ ok: true });
    const roles = await testDb().userRole.findMany({ where: { userId: requester.id } });
    expect(roles.map((r) => r.role)).toEqual(["implementer"]);
  });

  it("deactivates and reactivates, but not one's own account", async () => {
    expect(await setUserActive(admin.actor, { userId: requester.id, active: false })).toMatchObject({ ok: true });
    expect((await testDb().user.findUniqueOrThrow({ where: { id: requester.id } })).active).toBe(false);
    expect(await setUserActive(admin.actor, { userId: requester.id, active: true })).toMatchObject({ ok: true });
    expect(await setUserActive(admin.actor, { userId: admin.id, active: false })).toMatchObject({
      ok: false,
      message: "You cannot deactivate your own account. Ask another admin.",
    });
  });

  it("sets a temporary password that replaces the old one", async () => {
    expect(await resetPassword(admin.actor, { userId: requester.id, temporaryPassword: "brand-new-temporary" })).toMatchObject({
      ok: true,
    });
    expect((await authenticate({ email: requester.email, password: "brand-new-temporary" }, "203.0.113.10")).ok).toBe(true);
    expect((await testDb().user.findUniqueOrThrow({ where: { id: requester.id } })).mustChangePassword).toBe(true);
  });

  describe("never leaves the portal without an active admin", () => {
    beforeEach(async () => {
      // Only the admins this test creates remain.
      await testDb().userRole.deleteMany({ where: { role: "admin", userId: { not: admin.id } } });
    });

    it("refuses to remove the last admin's role or deactivate them", async () => {
      const other = await createTestUser({ roles: ["admin"] });
      expect(await setUserActive(other.actor, { userId: admin.id, active: false })).toMatchObject({ ok: true });
      expect(await changeUserRole(other.actor, { userId: other.id, role: "admin", grant: false })).toMatchObject({
        ok: false,
        message: "This is the last active admin. Make someone else an admin first.",
      });
    });

    it("when two admins remove each other's admin role at the same moment, exactly one succeeds", async () => {
      const other = await createTestUser({ roles: ["admin"] });
      const results = await Promise.all([
        changeUserRole(admin.actor, { userId: other.id, role: "admin", grant: false }),
        changeUserRole(other.actor, { userId: admin.id, role: "admin", grant: false }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await testDb().userRole.count({ where: { role: "admin" } })).toBe(1);
    });
  });
});
