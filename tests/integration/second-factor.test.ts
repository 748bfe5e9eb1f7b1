import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { encode, decode } from "next-auth/jwt";
import { generate } from "otplib";
import { ENROL_PATH, SECOND_FACTOR_NEEDED, type AuthMethod } from "@/lib/domain/step-up";
import { authenticate, WRONG_SIGN_IN_CODE } from "@/lib/server/auth/authenticate";
import { saveSecondFactorPolicy } from "@/lib/server/auth/second-factor-policy";
import { confirmTotpEnrolment, secondFactorStatus, startTotpEnrolment } from "@/lib/server/auth/totp-enrolment";
import { startUserSession } from "@/lib/server/auth/user-session-rows";
import { changeAwaitingVotes, enrolTotp } from "../support/approvals";
import { createTestUser, testDb } from "../support/fixtures";

// The second factor end to end against PostgreSQL: only next-auth's reading of the cookie is
// replaced (as in session-gate.test.ts), and the clock is ours (vi.setSystemTime).
type SessionUser = { id?: string; sessionVersion?: number; authAt?: number; amr?: AuthMethod; sessionId?: string };
const cookie = vi.hoisted(() => ({ session: null as { user: SessionUser } | null, jar: new Map<string, string>() }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => cookie.session }));
vi.mock("next/cache", async (importOriginal) => ({ ...(await importOriginal<object>()), revalidatePath: () => undefined }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers(),
  cookies: async () => ({
    get: (name: string) => (cookie.jar.has(name) ? { name, value: cookie.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void cookie.jar.set(name, value),
  }),
}));
const cabActions = await import("@/app/(portal)/cab/actions");
const tokenActions = await import("@/app/(portal)/account/tokens/actions");

const PASSWORD = "correct horse battery staple";
const COOKIE = "next-auth.session-token";
const T0 = Date.parse("2031-03-03T09:00:10Z");
const seconds = () => Math.floor(Date.now() / 1000);
type U = Awaited<ReturnType<typeof createTestUser>>;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

/** The next 30-second step: a code of the step before is used up once accepted. */
function nextStep() {
  vi.setSystemTime(Date.now() + 30_000);
}

/** Signs in as next-auth's authorize() does; the session and its cookie carry what the jwt callback would put there. */
async function signIn(user: U, code?: string) {
  const result = await authenticate({ email: user.email, password: PASSWORD, ...(code ? { code } : {}) }, "203.0.113.9");
  if (!result.ok) throw new Error(result.message);
  const now = seconds();
  const sid = await startUserSession({ userId: result.userId, method: "password" });
  cookie.session = { user: { id: result.userId, sessionVersion: result.sessionVersion, authAt: now, amr: result.method, sessionId: sid } };
  const token = { sub: result.userId, sv: result.sessionVersion, signedInAt: now, lastSeenAt: now, authAt: now, amr: result.method, sid };
  cookie.jar.set(COOKIE, await encode({ token, secret: process.env.AUTH_SECRET! }));
  return result;
}

const vote = (changeId: string, extra: Record<string, string> = {}) =>
  cabActions.queueVoteAction({ ok: true }, form({ changeId, role: "cab_member", decision: "approve", comment: "Looks safe.", ...extra }));

const eventsOf = (actorId: string, action: string) =>
  testDb().auditEvent.findMany({
    where: { actorId, action },
    orderBy: { seq: "asc" },
    select: { after: true, reason: true, entityId: true },
  });

let admin: U, requester: U, manager: U, security: U;

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  cookie.session = null;
  cookie.jar.clear();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("enrolment", () => {
  it("shows a QR code and the key, confirms with a first code, keeps the key encrypted and the recovery codes hashed", async () => {
    const user = await createTestUser({ roles: ["cab_member"] });
    await startTotpEnrolment(user.actor);
    const pending = await secondFactorStatus(user.actor);
    expect(pending).toMatchObject({ state: "pending", qrDataUrl: expect.stringMatching(/^data:image\/png;base64,/) });
    const secret = pending.state === "pending" ? pending.secret : "";
    const row = await testDb().userTotp.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.secretCiphertext).not.toContain(secret);
    expect(row.confirmedAt).toBeNull();

    const wrong = await confirmTotpEnrolment(user.actor, { code: "12345" });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: expect.any(String) } });
    const confirmed = await confirmTotpEnrolment(user.actor, { code: await generate({ secret, epoch: seconds() }) });
    expect(confirmed.ok).toBe(true);
    const codes = confirmed.ok ? confirmed.value.recoveryCodes : [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await testDb().userRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const s of stored) {
      expect(s.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.map((c) => c.replace("-", ""))).not.toContain(s.codeHash);
    }
    expect(await secondFactorStatus(user.actor)).toMatchObject({ state: "enrolled", recoveryCodesLeft: 10 });
    expect(await eventsOf(user.id, "auth.totp_enrolled")).toHaveLength(1);
  });
});

describe("sign-in with a second factor", () => {
  it("asks for the code after the password, refuses a replayed code and counts it toward the throttle", async () => {
    const user = await createTestUser({ roles: ["cab_member"] });
    const { secret } = await enrolTotp(user);
    expect(await authenticate({ email: user.email, password: PASSWORD }, "203.0.113.9")).toEqual({
      ok: false,
      message: SECOND_FACTOR_NEEDED,
    });

    nextStep();
    const code = await generate({ secret, epoch: seconds() });
    expect(await authenticate({ email: user.email, password: PASSWORD, code }, "203.0.113.9")).toMatchObject({
      ok: true,
      method: "password+totp",
    });
    // The same code again, still within its 30-second step: refused, and counted.
    expect(await authenticate({ email: user.email, password: PASSWORD, code }, "203.0.113.9")).toEqual({
      ok: false,
      message: WRONG_SIGN_IN_CODE,
    });
    const throttle = await testDb().loginThrottle.findUnique({ where: { key: `account:${user.email}` } });
    expect(throttle?.failures).toBe(1);
    expect(await eventsOf(user.id, "auth.second_factor_failed")).toEqual([expect.objectContaining({ reason: "sign-in" })]);
    expect(await eventsOf(user.id, "auth.signed_in")).toEqual([expect.objectContaining({ after: { method: "password+totp" } })]);
  });

  it("takes a recovery code once", async () => {
    const user = await createTestUser({ roles: ["cab_member"] });
    const { recoveryCodes } = await enrolTotp(user);
    const code = recoveryCodes[3]!.toLowerCase();
    expect(await authenticate({ email: user.email, password: PASSWORD, code }, "203.0.113.9")).toMatchObject({ ok: true });
    expect(await eventsOf(user.id, "auth.recovery_code_used")).toHaveLength(1);
    expect(await authenticate({ email: user.email, password: PASSWORD, code }, "203.0.113.9")).toMatchObject({ ok: false });
    expect(await testDb().userRecoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(9);
  });
});

describe("approvals", () => {
  it("refuse an approver without a second factor under the required policy, with how to enrol; the policy change is audited", async () => {
    expect(await saveSecondFactorPolicy(admin.actor, { policy: "required" })).toMatchObject({ ok: true });
    expect(await eventsOf(admin.id, "settings.second_factor_policy_changed")).toEqual([
      expect.objectContaining({ after: { policy: "required" } }),
    ]);
    try {
      const changeId = await changeAwaitingVotes(requester, manager, security);
      const cab = await createTestUser({ roles: ["cab_member"] });
      await signIn(cab);
      const refused = await vote(changeId);
      expect(refused).toMatchObject({ ok: false, stepUp: "enrol", values: { decision: "approve", comment: "Looks safe." } });
      expect(refused.message).toContain(ENROL_PATH);
      expect(await testDb().vote.count({ where: { changeId, voterId: cab.id } })).toBe(0);

      // Enrolled, but this session signed in with the password alone: the code is asked in the same form.
      const { secret } = await enrolTotp(cab);
      expect(await vote(changeId)).toMatchObject({ ok: false, stepUp: "code" });
      nextStep();
      const done = await vote(changeId, { stepUpCode: await generate({ secret, epoch: seconds() }) });
      expect(done).toMatchObject({ ok: true });
      const [cast] = await eventsOf(cab.id, "change.vote_cast");
      expect(cast?.after).toMatchObject({ authentication: { method: "password+totp", ageSeconds: 0 } });
    } finally {
      await saveSecondFactorPolicy(admin.actor, { policy: "off" });
    }
  });

  it("ask for a fresh code once the sign-in is older than STEP_UP_MINUTES, keep what was typed, and record the method and age", async () => {
    const [first, second] = [
      await changeAwaitingVotes(requester, manager, security),
      await changeAwaitingVotes(requester, manager, security),
    ];
    const cab = await createTestUser({ roles: ["cab_member"] });
    const { secret } = await enrolTotp(cab);
    nextStep();
    await signIn(cab, await generate({ secret, epoch: seconds() }));
    const signedInAt = seconds();

    vi.setSystemTime(Date.now() + 10 * 60_000);
    expect(await vote(first)).toMatchObject({ ok: true });
    const [fresh] = await eventsOf(cab.id, "change.vote_cast");
    expect(fresh?.after).toMatchObject({ authentication: { method: "password+totp", ageSeconds: 600 } });

    vi.setSystemTime(Date.now() + 6 * 60_000);
    const asked = await vote(second, { comment: "Typed before the prompt." });
    expect(asked).toMatchObject({ ok: false, stepUp: "code", values: { comment: "Typed before the prompt.", decision: "approve" } });
    expect(await vote(second, { stepUpCode: "000000" })).toMatchObject({
      ok: false,
      stepUp: "code",
      fieldErrors: { stepUpCode: expect.any(String) },
    });
    expect(await eventsOf(cab.id, "auth.second_factor_failed")).toEqual([expect.objectContaining({ reason: "step-up" })]);
    expect(await testDb().vote.count({ where: { changeId: second, voterId: cab.id } })).toBe(0);

    const done = await vote(second, { stepUpCode: await generate({ secret, epoch: seconds() }) });
    expect(done).toMatchObject({ ok: true });
    const cast = await eventsOf(cab.id, "change.vote_cast");
    expect(cast[1]?.after).toMatchObject({ authentication: { method: "password+totp", ageSeconds: 0 } });
    // The session's cookie now says it authenticated now, so the next approval goes through without a prompt.
    const renewed = await decode({ token: cookie.jar.get(COOKIE)!, secret: process.env.AUTH_SECRET! });
    expect(renewed).toMatchObject({ authAt: seconds(), amr: "password+totp", signedInAt });
  });

  it("ask a password account without an authenticator app for its password when the policy is off", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    await signIn(cab);
    vi.setSystemTime(Date.now() + 16 * 60_000);
    expect(await vote(changeId)).toMatchObject({ ok: false, stepUp: "password" });
    expect(await vote(changeId, { stepUpPassword: "not my password" })).toMatchObject({ ok: false, stepUp: "password" });
    expect(await vote(changeId, { stepUpPassword: PASSWORD })).toMatchObject({ ok: true });
    const [cast] = await eventsOf(cab.id, "change.vote_cast");
    expect(cast?.after).toMatchObject({ authentication: { method: "password", ageSeconds: 0 } });
  });
});

describe("API tokens", () => {
  it("are issued only by a fresh authentication: a token outlives the session that made it", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    await signIn(user);
    vi.setSystemTime(Date.now() + 16 * 60_000);
    const issue = (extra: Record<string, string> = {}) =>
      tokenActions.issueTokenAction({ ok: true }, form({ name: "deploy pipeline", scopes: "changes:read", expiresInDays: "30", ...extra }));
    const asked = await issue();
    expect(asked).toMatchObject({ ok: false, stepUp: "password", values: { name: "deploy pipeline", expiresInDays: "30" } });
    expect(asked.secret).toBeUndefined();
    expect(await issue({ stepUpPassword: "not my password" })).toMatchObject({ ok: false, stepUp: "password" });
    expect(await testDb().apiToken.count({ where: { ownerId: user.id } })).toBe(0);
    const issued = await issue({ stepUpPassword: PASSWORD });
    expect(issued).toMatchObject({ ok: true, secret: expect.any(String) });
    expect(await testDb().apiToken.count({ where: { ownerId: user.id } })).toBe(1);
  });
});
