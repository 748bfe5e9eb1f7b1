import { describe, expect, it } from "vitest";
import { authenticate, INVALID_CREDENTIALS, PASSWORD_SIGN_IN_OFF } from "@/lib/server/auth/authenticate";
import { notifyBreakGlassSignIn } from "@/lib/server/notifications/notify-break-glass";
import { createTestUser, testDb } from "../support/fixtures";

// Read once by the app's env(): this file's portal has password sign-in turned off.
process.env.PASSWORD_SIGN_IN = "off";
process.env.BREAK_GLASS_ADMINS = " Glass@Example.test , notadmin@example.test";
const PASSWORD = "correct horse battery staple";

describe("password sign-in turned off", () => {
  it("refuses everyone but the break-glass admins, with a message that names SSO, and audits it", async () => {
    const user = await createTestUser({ roles: ["admin"] });
    expect(await authenticate({ email: user.email, password: PASSWORD }, "198.51.100.1")).toEqual({
      ok: false,
      message: PASSWORD_SIGN_IN_OFF,
    });
    // The answer is the same for an account that does not exist: the list is configuration, not a lookup.
    expect(await authenticate({ email: "nobody@example.test", password: PASSWORD }, "198.51.100.1")).toEqual({
      ok: false,
      message: PASSWORD_SIGN_IN_OFF,
    });
    const refused = await testDb().auditEvent.findFirst({ where: { action: "auth.sign_in_failed", actorId: user.id } });
    expect(refused?.reason).toBe("password sign-in is turned off");
  });

  it("lets a break-glass admin in, audits it as break-glass and tells every other admin", async () => {
    const glass = await createTestUser({ email: "glass@example.test", roles: ["admin"] });
    const other = await createTestUser({ roles: ["admin"] });
    const bystander = await createTestUser({ roles: ["requester"] });
    const result = await authenticate({ email: "glass@example.test", password: PASSWORD }, "198.51.100.2", notifyBreakGlassSignIn);
    expect(result).toMatchObject({ ok: true, userId: glass.id });
    const event = await testDb().auditEvent.findFirstOrThrow({ where: { action: "auth.signed_in", actorId: glass.id } });
    expect(event.after).toEqual({ method: "password", breakGlass: true });
    const told = await testDb().notification.findMany({ where: { kind: "break_glass_sign_in" }, select: { userId: true, message: true } });
    expect(told.map((n) => n.userId)).toContain(other.id);
    expect(told.map((n) => n.userId)).not.toContain(glass.id);
    expect(told.map((n) => n.userId)).not.toContain(bystander.id);
    expect(told[0]!.message).toContain("glass@example.test signed in with a password from 198.51.100.2");
    // The notification also goes out as a mail nobody can opt out of.
    expect(await testDb().delivery.count({ where: { recipientId: other.id, kind: "break_glass_sign_in" } })).toBeGreaterThan(0);
  });

  it("refuses a listed address that does not hold the admin role, like a wrong password", async () => {
    await createTestUser({ email: "notadmin@example.test", roles: ["requester"] });
    expect(await authenticate({ email: "notadmin@example.test", password: PASSWORD }, "198.51.100.3")).toEqual({
      ok: false,
      message: INVALID_CREDENTIALS,
    });
  });
});
