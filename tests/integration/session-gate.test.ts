import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { authenticate } from "@/lib/server/auth/authenticate";
import { currentActor, requireActor } from "@/lib/server/auth/current-actor";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { startUserSession } from "@/lib/server/auth/user-session-rows";
import { endAllSessions } from "@/lib/server/users/end-sessions";
import { changeOwnPassword, resetPassword } from "@/lib/server/users/set-password";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Only next-auth's reading of the cookie is replaced: the session gate, the server actions and
// the use cases below it run for real against PostgreSQL.
const cookie = vi.hoisted(() => ({
  session: null as {
    user: {
      id?: string;
      sessionVersion?: number;
      authAt?: number;
      amr?: "password" | "password+totp" | "sso" | "sso+mfa" | "sso+totp";
      sessionId?: string;
    };
  } | null,
}));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => cookie.session }));
vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<object>()), revalidatePath: () => undefined }));
// The address the proxy says the browser asked for.
const asked = vi.hoisted(() => ({ path: "/changes/42?tab=votes" }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers({ "x-portal-requested-path": asked.path }),
}));
const cabActions = await import("@/app/(portal)/cab/actions");
const notificationActions = await import("@/app/(portal)/notifications/actions");

const PASSWORD = "correct horse battery staple";
type U = Awaited<ReturnType<typeof createTestUser>>;

/** Signs in as next-auth's authorize() does and holds the session the token would carry. */
async function signIn(user: { email: string }, password = PASSWORD) {
  const result = await authenticate({ email: user.email, password }, "203.0.113.5");
  if (!result.ok) throw new Error(result.message);
  const sessionId = await startUserSession({ userId: result.userId, method: "password" });
  cookie.session = {
    user: {
      id: result.userId,
      sessionVersion: result.sessionVersion,
      authAt: Math.floor(Date.now() / 1000),
      amr: result.method,
      sessionId,
    },
  };
  return { ...cookie.session };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function denials(userId: string) {
  return testDb().auditEvent.findMany({
    where: { actorId: userId, action: "authorization.denied" },
    select: { entityId: true, reason: true },
  });
}

let admin: U, requester: U, manager: U, cab: U, security: U;
let changeId: string;

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  // A medium-risk change waiting for CAB votes.
  const item = await createTestCi({ criticality: 4, exposure: "internet_facing" });
  const created = await createChangeDraft(requester.actor, completeDraft([item.id], { title: "Needs the CAB" }));
  if (!created.ok) throw new Error(created.message);
  changeId = created.value.id;
  await performChangeAction(requester.actor, { changeId, action: "submit" });
  await performChangeAction(manager.actor, { changeId, action: "start_assessment" });
  for (const i of await testDb().checklistItem.findMany({ where: { changeId, preImplementation: false } })) {
    await signOffItem(i.signerRole === "security_reviewer" ? security.actor : manager.actor, {
      changeId,
      key: i.key,
      evidence: "Checked the report.",
    });
  }
  await performChangeAction(manager.actor, { changeId, action: "request_authorization" });
});

beforeEach(async () => {
  cab = await createTestUser({ roles: ["cab_member"] });
  cookie.session = null;
});

describe("a session with a temporary password", () => {
  it("cannot vote: the server action refuses it and the refusal is audited", async () => {
    await signIn(admin);
    expect(await resetPassword(await currentActor(), { userId: cab.id, temporaryPassword: "temporary-password-1" })).toMatchObject({
      ok: true,
    });
    // The admin, who knows the temporary password, signs in as the CAB member.
    await signIn(cab, "temporary-password-1");
    const state = await cabActions.queueVoteAction({ ok: true }, form({ changeId, role: "cab_member", decision: "approve", comment: "" }));
    expect(state.ok).toBe(false);
    expect(await testDb().vote.count({ where: { changeId, voterId: cab.id } })).toBe(0);
    expect(await denials(cab.id)).toEqual([
      { entityId: "session:temporary-password", reason: expect.stringMatching(/temporary password/) },
    ]);
  });

  it("cannot call any other action either, but may change the password, after which it may vote", async () => {
    await testDb().user.update({ where: { id: cab.id }, data: { mustChangePassword: true } });
    await signIn(cab);
    expect(await currentActor()).toBeNull();
    expect((await notificationActions.markReadAction({ ok: true }, form({ all: "1" }))).ok).toBe(false);
    await expect(requireActor()).rejects.toThrow("redirect /account/password");

    const changed = await changeOwnPassword(await currentActor({ allowPasswordChange: true }), {
      currentPassword: PASSWORD,
      newPassword: "my own passphrase 42",
      confirmPassword: "my own passphrase 42",
    });
    expect(changed).toMatchObject({ ok: true, value: { sessionVersion: expect.any(Number) } });
    // The password change re-issues this session's cookie under the new version (actions.ts).
    cookie.session = { user: { ...cookie.session!.user, sessionVersion: changed.ok ? changed.value.sessionVersion : -1 } };
    const state = await cabActions.queueVoteAction({ ok: true }, form({ changeId, role: "cab_member", decision: "approve", comment: "" }));
    expect(state).toMatchObject({ ok: true });
  });
});

describe("sessions end at their next request", () => {
  it("after a password reset, a deactivation, or sign out everywhere", async () => {
    const older = await signIn(cab);
    expect((await currentActor())?.id).toBe(cab.id);

    cookie.session = older;
    expect((await endAllSessions(await currentActor())).ok).toBe(true);
    expect(await currentActor()).toBeNull();

    const beforeReset = await signIn(cab);
    await signIn(admin);
    await resetPassword(await currentActor(), { userId: cab.id, temporaryPassword: "temporary-password-2" });
    cookie.session = beforeReset;
    expect(await currentActor({ allowPasswordChange: true })).toBeNull();

    const beforeDeactivation = await signIn(cab, "temporary-password-2");
    await signIn(admin);
    await setUserActive(await currentActor(), { userId: cab.id, active: false });
    await setUserActive(await currentActor(), { userId: cab.id, active: true });
    cookie.session = beforeDeactivation;
    expect(await currentActor({ allowPasswordChange: true })).toBeNull();
  });

  it("refuses a deactivated user's session in a server action and records the refusal", async () => {
    const before = await signIn(cab);
    await signIn(admin);
    await setUserActive(await currentActor(), { userId: cab.id, active: false });
    cookie.session = before;
    const state = await cabActions.queueVoteAction({ ok: true }, form({ changeId, role: "cab_member", decision: "approve", comment: "" }));
    expect(state.ok).toBe(false);
    expect(await testDb().vote.count({ where: { changeId, voterId: cab.id } })).toBe(0);
    expect(await denials(cab.id)).toEqual([{ entityId: "session:ended", reason: expect.stringMatching(/deactivated/) }]);
  });

  it("after the user changes their password: every other session ends", async () => {
    const phone = await signIn(cab);
    await signIn(cab);
    const changed = await changeOwnPassword(await currentActor(), {
      currentPassword: PASSWORD,
      newPassword: "another passphrase 7",
      confirmPassword: "another passphrase 7",
    });
    expect(changed.ok).toBe(true);
    cookie.session = phone;
    expect(await currentActor()).toBeNull();
  });

  it("and a token from before session versions counts as ended", async () => {
    cookie.session = { user: { id: cab.id } };
    expect(await currentActor()).toBeNull();
    await expect(requireActor()).rejects.toThrow("redirect /signin?callbackUrl=%2Fchanges%2F42%3Ftab%3Dvotes&ended=ended");
  });

  it("and so does a token from before session rows, of the current version", async () => {
    const { sessionVersion } = await testDb().user.findUniqueOrThrow({ where: { id: cab.id }, select: { sessionVersion: true } });
    cookie.session = { user: { id: cab.id, sessionVersion } };
    expect(await currentActor()).toBeNull();
    expect(await denials(cab.id)).toEqual([{ entityId: "session:ended", reason: expect.stringMatching(/session has ended/) }]);
  });

  it("sends a signed-out visitor to sign in, to come back to the page asked for, never elsewhere", async () => {
    cookie.session = null;
    await expect(requireActor()).rejects.toThrow("redirect /signin?callbackUrl=%2Fchanges%2F42%3Ftab%3Dvotes");
    for (const offSite of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"]) {
      asked.path = offSite;
      await expect(requireActor()).rejects.toThrow(/^redirect \/signin$/);
    }
    asked.path = "/changes/42?tab=votes";
  });

  it("records the end of every session as an audit event", async () => {
    await signIn(cab);
    await endAllSessions(await currentActor());
    expect(await testDb().auditEvent.count({ where: { actorId: cab.id, action: "auth.signed_out_everywhere" } })).toBe(1);
  });
});
