import { beforeEach, describe, expect, it } from "vitest";
import { runReport } from "@/lib/server/reports/run-report";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { createUser } from "@/lib/server/users/create-user";
import { approveRoleGrant, refuseRoleGrant, requestRoleGrant, withdrawRoleGrant } from "@/lib/server/users/role-grant-requests";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { createTestUser, readerWith, testDb } from "../support/fixtures";

type TestUser = Awaited<ReturnType<typeof createTestUser>>;

const roles = async (userId: string) =>
  (await testDb().userRole.findMany({ where: { userId }, orderBy: { role: "asc" } })).map((r) => r.role);
const events = async (entityId: string, prefix = "role_grant.") =>
  (await testDb().auditEvent.findMany({ where: { entityId, action: { startsWith: prefix } }, orderBy: { seq: "asc" } })).map((e) => ({
    action: e.action,
    actorId: e.actorId,
    reason: e.reason,
  }));

async function request(by: TestUser, user: TestUser, role = "cab_member", reason = "Joins the CAB for the payments platform.") {
  const result = await requestRoleGrant(by.actor, { userId: user.id, role, reason });
  if (!result.ok) throw new Error(result.message);
  return result.value.id;
}

describe("privileged roles granted by two admins", () => {
  let ada: TestUser;
  let blake: TestUser;
  let casey: TestUser;
  let nora: TestUser;
  beforeEach(async () => {
    [ada, blake, casey, nora] = await Promise.all([
      createTestUser({ roles: ["admin"] }),
      createTestUser({ roles: ["admin"] }),
      createTestUser({ roles: ["admin"] }),
      createTestUser({ roles: ["requester"] }),
    ]);
  });

  it("a privileged role cannot be granted directly; a non-privileged one still can, but never to oneself", async () => {
    expect(await changeUserRole(ada.actor, { userId: nora.id, role: "cab_member", grant: true })).toMatchObject({
      ok: false,
      message: "CAB member is granted by two admins: request it with a reason, and a second admin approves it.",
    });
    expect(await changeUserRole(ada.actor, { userId: nora.id, role: "auditor", grant: true })).toMatchObject({ ok: true });
    expect(await changeUserRole(ada.actor, { userId: ada.id, role: "auditor", grant: true })).toMatchObject({
      ok: false,
      message: "You cannot grant yourself a role. Ask another admin.",
    });
    expect(await roles(nora.id)).toEqual(["requester", "auditor"]);
    expect(await roles(ada.id)).toEqual(["admin"]);
  });

  it("refuses a request for oneself, and one for a non-privileged role or without a reason", async () => {
    expect(await requestRoleGrant(ada.actor, { userId: ada.id, role: "security_reviewer", reason: "Cover." })).toMatchObject({
      ok: false,
      message: "You cannot request a role for yourself. Ask another admin.",
    });
    expect(await requestRoleGrant(ada.actor, { userId: nora.id, role: "auditor", reason: "x" })).toMatchObject({
      ok: false,
      fieldErrors: { role: "Only a privileged role is requested; grant the others directly." },
    });
    expect(await requestRoleGrant(ada.actor, { userId: nora.id, role: "admin", reason: "  " })).toMatchObject({
      ok: false,
      fieldErrors: { reason: "Say why they need this role." },
    });
    expect(await requestRoleGrant(nora.actor, { userId: ada.id, role: "admin", reason: "Please." })).toMatchObject({
      ok: false,
      message: "Only an admin can manage users.",
    });
    expect(await testDb().roleGrantRequest.count({ where: { userId: { in: [ada.id, nora.id] } } })).toBe(0);
  });

  it("two-person grant: one requests, a second approves; the role, the link to the request and the audit events follow", async () => {
    const id = await request(ada, nora);
    expect(await roles(nora.id)).toEqual(["requester"]);
    // The requester cannot approve their own request; the grantee would not be an admin, but the rule is checked first.
    expect(await approveRoleGrant(ada.actor, { requestId: id })).toMatchObject({
      ok: false,
      message: "You asked for this role; a second admin must approve it. You can withdraw it instead.",
    });
    expect(await approveRoleGrant(blake.actor, { requestId: id, reason: "Agreed at the CAB charter review." })).toMatchObject({
      ok: true,
      value: { message: `${nora.name} is now CAB member.` },
    });
    expect(await roles(nora.id)).toEqual(["requester", "cab_member"]);
    const held = await testDb().userRole.findUniqueOrThrow({ where: { userId_role: { userId: nora.id, role: "cab_member" } } });
    expect(held).toMatchObject({ grantedById: blake.id, grantRequestId: id });
    expect(await events(nora.id)).toEqual([
      { action: "role_grant.requested", actorId: ada.id, reason: "Joins the CAB for the payments platform." },
      { action: "role_grant.approved", actorId: blake.id, reason: "Agreed at the CAB charter review." },
    ]);
    // The other admins were told of the request, the requester of the decision.
    const told = await testDb().notification.findMany({
      where: { kind: { startsWith: "role_grant" }, userId: { in: [ada.id, blake.id, casey.id, nora.id] } },
    });
    expect(
      told
        .filter((n) => n.kind === "role_grant_awaited")
        .map((n) => n.userId)
        .sort(),
    ).toEqual([blake.id, casey.id].sort());
    expect(told.filter((n) => n.kind === "role_grant_decided").map((n) => n.userId)).toEqual([ada.id]);
    // Decided once: a second decision is refused.
    expect(await approveRoleGrant(casey.actor, { requestId: id })).toMatchObject({
      ok: false,
      message: "This request was already decided: approved.",
    });
  });

  it("an admin cannot approve a grant to themselves", async () => {
    const id = await request(ada, blake, "security_reviewer");
    expect(await approveRoleGrant(blake.actor, { requestId: id })).toMatchObject({
      ok: false,
      message: "You cannot decide a request for a role of your own. Another admin must.",
    });
    expect(await roles(blake.id)).toEqual(["admin"]);
    expect(await approveRoleGrant(casey.actor, { requestId: id })).toMatchObject({ ok: true });
    expect(await roles(blake.id)).toEqual(["security_reviewer", "admin"]);
  });

  it("two admins approving one request at the same moment leave one grant and one approval event", async () => {
    const id = await request(ada, nora, "admin");
    const results = await Promise.all([approveRoleGrant(blake.actor, { requestId: id }), approveRoleGrant(casey.actor, { requestId: id })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ message: "This request was already decided: approved." });
    expect(await testDb().userRole.count({ where: { userId: nora.id, role: "admin" } })).toBe(1);
    expect((await events(nora.id)).filter((e) => e.action === "role_grant.approved")).toHaveLength(1);
  });

  it("refusal keeps its reason; withdrawal is the requester's; a second request for the same role waits on the first", async () => {
    const id = await request(ada, nora);
    expect(await request(blake, nora).catch((e: Error) => e.message)).toBe(
      "CAB member is already requested for this user; approve or refuse that request.",
    );
    expect(await refuseRoleGrant(blake.actor, { requestId: id, reason: "" })).toMatchObject({
      ok: false,
      fieldErrors: { reason: "Say why you refuse it." },
    });
    expect(await refuseRoleGrant(blake.actor, { requestId: id, reason: "Not on the CAB roster." })).toMatchObject({ ok: true });
    expect(await testDb().roleGrantRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "refused",
      decidedById: blake.id,
      decisionReason: "Not on the CAB roster.",
    });
    expect(await roles(nora.id)).toEqual(["requester"]);

    const again = await request(ada, nora);
    expect(await withdrawRoleGrant(blake.actor, { requestId: again })).toMatchObject({
      ok: false,
      message: "Only the admin who asked can withdraw a request; refuse it instead.",
    });
    expect(await withdrawRoleGrant(ada.actor, { requestId: again })).toMatchObject({ ok: true });
    expect(await approveRoleGrant(blake.actor, { requestId: again })).toMatchObject({
      ok: false,
      message: "This request was already decided: withdrawn.",
    });
    expect((await events(nora.id)).map((e) => e.action)).toEqual([
      "role_grant.requested",
      "role_grant.refused",
      "role_grant.requested",
      "role_grant.withdrawn",
    ]);
  });

  it("an expired request is refused, and no longer blocks asking again", async () => {
    const id = await request(ada, nora, "change_manager");
    await testDb().roleGrantRequest.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await approveRoleGrant(blake.actor, { requestId: id })).toMatchObject({
      ok: false,
      message: "This request has expired. Request the role again if it is still needed.",
    });
    expect(await roles(nora.id)).toEqual(["requester"]);
    const again = await request(ada, nora, "change_manager");
    expect(await testDb().roleGrantRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "expired" });
    expect(await approveRoleGrant(blake.actor, { requestId: again })).toMatchObject({ ok: true });
  });

  it("a deactivated user, or a role already held, is refused with a clear message", async () => {
    const id = await request(ada, nora, "security_reviewer");
    expect(await setUserActive(blake.actor, { userId: nora.id, active: false })).toMatchObject({ ok: true });
    expect(await approveRoleGrant(blake.actor, { requestId: id })).toMatchObject({
      ok: false,
      message: `${nora.name} is deactivated. Reactivate the account first if they still need Security reviewer. Refuse this request instead.`,
    });
    expect(await requestRoleGrant(ada.actor, { userId: nora.id, role: "admin", reason: "x" })).toMatchObject({
      ok: false,
      message: `${nora.name} is deactivated. Reactivate the account first if they still need Admin.`,
    });
    expect(await requestRoleGrant(ada.actor, { userId: blake.id, role: "admin", reason: "x" })).toMatchObject({
      ok: false,
      message: `${blake.name} already holds Admin.`,
    });
  });

  it("removing a privileged role takes effect at once, with no second admin", async () => {
    const id = await request(ada, nora);
    await approveRoleGrant(blake.actor, { requestId: id });
    expect(await changeUserRole(ada.actor, { userId: nora.id, role: "cab_member", grant: false })).toMatchObject({ ok: true });
    expect(await roles(nora.id)).toEqual(["requester"]);
    expect((await events(nora.id, "user.")).map((e) => e.action)).toEqual(["user.role_removed"]);
  });

  it("privileged roles chosen when creating a user become requests, not grants", async () => {
    const created = await createUser(ada.actor, {
      name: "Pat Privileged",
      email: `pat-${Date.now()}@example.test`,
      temporaryPassword: "temporary-password-1",
      roles: ["requester", "admin"],
    });
    if (!created.ok) throw new Error(created.message);
    expect(await roles(created.value.id)).toEqual(["requester"]);
    expect(
      await testDb().roleGrantRequest.findMany({
        where: { userId: created.value.id },
        select: { role: true, status: true, requestedById: true },
      }),
    ).toEqual([{ role: "admin", status: "pending", requestedById: ada.id }]);
  });

  it("the access review says who requested and who approved each privileged role, and which were granted directly", async () => {
    const id = await request(ada, nora, "cab_member");
    await approveRoleGrant(blake.actor, { requestId: id });
    const { rows } = (await runReport(readerWith(["auditor"]), "access-review", { limit: 1000 }))! as {
      rows: {
        email: string;
        grants: { role: string; requestedBy: string | null; approvedBy: string | null; approvedAt: string | null }[];
      }[];
    };
    expect(rows.find((r) => r.email === nora.email)!.grants).toEqual([
      expect.objectContaining({
        role: "cab_member",
        requestedBy: ada.email,
        approvedBy: blake.email,
        approvedAt: expect.stringMatching(/^\d{4}-/),
      }),
    ]);
    // The fixtures' admins were granted before two-person grants: directly, no request behind them.
    expect(rows.find((r) => r.email === ada.email)!.grants).toEqual([
      expect.objectContaining({ role: "admin", requestedBy: null, approvedBy: null }),
    ]);
    const { ACCESS_REVIEW } = await import("@/lib/domain/exception-reports");
    const how = ACCESS_REVIEW.columns.find((c) => c.header === "how_granted")!;
    const row = rows.find((r) => r.email === nora.email)! as never;
    expect(how.value(row)).toMatch(
      new RegExp(`^CAB member: requested by ${ada.email}, approved by ${blake.email} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`),
    );
    expect(how.value(rows.find((r) => r.email === ada.email)! as never)).toMatch(/^Admin: granted directly on /);
  });

  it("a service account is never given an approving role, by request either", async () => {
    const bot = await testDb().user.create({
      data: {
        email: `bot-${Date.now()}@service-account.invalid`,
        name: "Bot",
        passwordHash: "x",
        kind: "service_account",
        roles: { create: [{ role: "requester" }] },
      },
    });
    expect(await requestRoleGrant(ada.actor, { userId: bot.id, role: "cab_member", reason: "x" })).toMatchObject({
      ok: false,
      message: "A service account may hold only the requester, implementer and auditor roles.",
    });
  });
});
