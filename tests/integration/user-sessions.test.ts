import pg from "pg";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { decode } from "next-auth/jwt";
import { signInAttempt } from "@/lib/server/auth/auth-options";
import { currentActor, loadActor, requireActor } from "@/lib/server/auth/current-actor";
import { sessionCookieName } from "@/lib/server/auth/session-cookie";
import { pruneUserSessions } from "@/lib/server/auth/user-session-rows";
import { env } from "@/lib/server/env";
import { PEER_ADDRESS_HEADER } from "@/lib/server/runtime/peer-address-header";
import { endAllSessions } from "@/lib/server/users/end-sessions";
import { changeOwnPassword } from "@/lib/server/users/set-password";
import { endOtherOwnSessions, endOwnSession, endSessionsAsAdmin, listOwnSessions, listSessionsOf } from "@/lib/server/users/user-sessions";
import { AuthHandler } from "../support/company-idp";
import { createTestUser, testDb } from "../support/fixtures";

// Sign-in and sign-out go through next-auth's own handler with the portal's options; the session
// gate then reads the cookie it set with the real getServerSession. Only the cookie jar a browser
// would keep, and the request's headers, are the test's.
const browser = vi.hoisted(() => ({ jar: {} as Record<string, string> }));
vi.mock("next-auth", async (importOriginal) => {
  const real = await importOriginal<typeof import("next-auth")>();
  const res = { getHeader() {}, setCookie() {}, setHeader() {} };
  return {
    ...real,
    getServerSession: (options: never) =>
      (real.getServerSession as (...args: unknown[]) => Promise<unknown>)({ headers: {}, cookies: { ...browser.jar } }, res, options),
  };
});
vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  headers: async () => new Headers({ "x-portal-requested-path": "/changes" }),
}));

const PASSWORD = "correct horse battery staple";
const FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
type Jar = Record<string, string>;

async function nextAuth(jar: Jar, req: Record<string, unknown>, userAgent = FIREFOX) {
  const attempt = signInAttempt("198.51.100.20", undefined, userAgent);
  const response = await AuthHandler({
    req: {
      method: "GET",
      headers: { "user-agent": userAgent, [PEER_ADDRESS_HEADER]: "198.51.100.20" },
      query: {},
      body: {},
      cookies: { ...jar },
      ...req,
    } as never,
    options: attempt.options,
  });
  await attempt.settled();
  for (const c of response.cookies ?? []) {
    if (!c.value || c.options?.maxAge === 0) delete jar[c.name];
    else jar[c.name] = c.value;
  }
  return response;
}

/** A browser signing in with a password: its cookie jar afterwards, and the session id its token carries. */
async function signIn(email: string, userAgent = FIREFOX, password = PASSWORD): Promise<{ jar: Jar; sid: string }> {
  const jar: Jar = {};
  const csrf = await nextAuth(jar, { action: "csrf" }, userAgent);
  const csrfToken = (csrf.body as { csrfToken: string }).csrfToken;
  await nextAuth(jar, { action: "callback", providerId: "credentials", method: "POST", body: { csrfToken, email, password } }, userAgent);
  const token = await decode({ token: jar[sessionCookieName()], secret: env().AUTH_SECRET });
  if (typeof token?.sid !== "string") throw new Error("sign-in set no session");
  return { jar, sid: token.sid };
}

/** The next request from that browser. */
function from(session: { jar: Jar }) {
  browser.jar = session.jar;
}

const denials = (userId: string) =>
  testDb().auditEvent.findMany({ where: { actorId: userId, action: "authorization.denied" }, select: { entityId: true } });
const row = (id: string) => testDb().userSession.findUniqueOrThrow({ where: { id } });

let admin: Awaited<ReturnType<typeof createTestUser>>;
beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
});
afterEach(() => vi.useRealTimers());

describe("a session's row", () => {
  it("is written at sign-in, its id in the token; the gate reads it with the user in one statement", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const laptop = await signIn(user.email, `${FIREFOX} ${"x".repeat(600)}`);
    expect(await row(laptop.sid)).toMatchObject({
      userId: user.id,
      method: "password",
      clientAddress: "198.51.100.20",
      userAgent: expect.stringMatching(/^Mozilla\/5\.0 \(X11; Ubuntu.*Firefox\/133\.0 x+$/),
      endedAt: null,
      endReason: null,
    });
    expect((await row(laptop.sid)).userAgent).toHaveLength(512);
    from(laptop);
    expect(await currentActor()).toMatchObject({ id: user.id, sessionId: laptop.sid });

    // Statements per request: the same as reading the user alone, until the last-seen time is a minute old.
    const queries = vi.spyOn(pg.Client.prototype, "query");
    await loadActor(user.id);
    const userAlone = queries.mock.calls.length;
    expect(userAlone).toBeGreaterThan(0);
    queries.mockClear();
    await currentActor();
    expect(queries.mock.calls.length).toBe(userAlone);
    queries.mockRestore();
  });

  it("writes the last-seen time at most once a minute", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const laptop = await signIn(user.email);
    const signedInAt = (await row(laptop.sid)).lastSeenAt;
    vi.useFakeTimers({ toFake: ["Date"], now: signedInAt.getTime() + 30_000 });
    from(laptop);
    expect(await currentActor()).not.toBeNull();
    expect((await row(laptop.sid)).lastSeenAt).toEqual(signedInAt);
    vi.setSystemTime(signedInAt.getTime() + 61_000);
    const queries = vi.spyOn(pg.Client.prototype, "query");
    expect(await currentActor()).not.toBeNull();
    const withWrite = queries.mock.calls.length;
    queries.mockClear();
    await loadActor(user.id);
    const userAlone = queries.mock.calls.length;
    queries.mockRestore();
    expect((await row(laptop.sid)).lastSeenAt).toEqual(new Date(signedInAt.getTime() + 61_000));
    // The read, and one write.
    expect(withWrite).toBe(userAlone + 1);
  });

  it("ends at sign-out; the old cookie is then refused, the refusal audited", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const laptop = await signIn(user.email);
    const before = { ...laptop.jar };
    const csrf = await nextAuth(laptop.jar, { action: "csrf" });
    await nextAuth(laptop.jar, { action: "signout", method: "POST", body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken } });
    expect(await row(laptop.sid)).toMatchObject({ endReason: "signed_out", endedById: user.id, endedAt: expect.any(Date) });
    expect(await testDb().auditEvent.count({ where: { action: "auth.signed_out", entityId: laptop.sid } })).toBe(1);
    // A copy of the cookie kept from before the sign-out (a stolen one) no longer works.
    from({ jar: before });
    expect(await currentActor()).toBeNull();
    expect(await denials(user.id)).toEqual([{ entityId: "session:ended" }]);
    await expect(requireActor()).rejects.toThrow("redirect /signin?callbackUrl=%2Fchanges&ended=signed_out");
  });

  it("is missing from a token issued before session rows: that token counts as ended", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const laptop = await signIn(user.email);
    await testDb().userSession.delete({ where: { id: laptop.sid } });
    from(laptop);
    expect(await currentActor()).toBeNull();
    await expect(requireActor()).rejects.toThrow("redirect /signin?callbackUrl=%2Fchanges&ended=ended");
  });
});

describe("Your sessions", () => {
  it("signs out one other session; the rest go on, the current one cannot be ended there", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const laptop = await signIn(
      user.email,
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    );
    const phone = await signIn(user.email);
    const tablet = await signIn(user.email);
    from(laptop);
    const me = (await currentActor())!;
    const listed = await listOwnSessions(me);
    expect(listed.map((s) => [s.id, s.current])).toEqual(
      expect.arrayContaining([
        [laptop.sid, true],
        [phone.sid, false],
        [tablet.sid, false],
      ]),
    );
    expect(listed.find((s) => s.current)?.device).toBe("Chrome 131 on Windows");

    expect(await endOwnSession(me, { sessionId: laptop.sid })).toEqual({
      ok: false,
      message: "That is this session: use Sign out to end it.",
    });
    expect(await endOwnSession(me, { sessionId: "not-a-uuid" })).toMatchObject({ ok: false });
    expect(await endOwnSession(me, { sessionId: phone.sid })).toMatchObject({ ok: true });
    expect(await endOwnSession(me, { sessionId: phone.sid })).toEqual({ ok: false, message: "That session has already ended." });

    from(phone);
    expect(await currentActor()).toBeNull();
    await expect(requireActor()).rejects.toThrow("ended=ended_by_user");
    from(tablet);
    expect((await currentActor())?.sessionId).toBe(tablet.sid);
    from(laptop);
    expect((await listOwnSessions((await currentActor())!)).map((s) => s.id).sort()).toEqual([laptop.sid, tablet.sid].sort());

    const events = await testDb().auditEvent.findMany({
      where: { action: "session.ended", entityId: user.id },
      select: { actorId: true, after: true },
    });
    expect(events).toEqual([{ actorId: user.id, after: { reason: "ended_by_user", sessions: [phone.sid], endedBy: user.email } }]);
  });

  it("cannot end another user's session, even knowing its id", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const other = await createTestUser({ roles: ["requester"] });
    const theirs = await signIn(other.email);
    const mine = await signIn(user.email);
    from(mine);
    expect(await endOwnSession(await currentActor(), { sessionId: theirs.sid })).toEqual({
      ok: false,
      message: "That session has already ended.",
    });
    from(theirs);
    expect(await currentActor()).not.toBeNull();
  });

  it("signs out all other sessions and keeps this one", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const [laptop, phone, tablet] = [await signIn(user.email), await signIn(user.email), await signIn(user.email)];
    from(laptop);
    expect(await endOtherOwnSessions(await currentActor())).toEqual({
      ok: true,
      value: { message: "2 sessions signed out. This one goes on." },
    });
    for (const ended of [phone, tablet]) {
      from(ended);
      expect(await currentActor()).toBeNull();
    }
    from(laptop);
    expect(await currentActor()).not.toBeNull();
    expect(await endOtherOwnSessions(await currentActor())).toEqual({ ok: true, value: { message: "You had no other sessions." } });
  });

  it("ends every row on sign out everywhere; a password change ends all but the session that made it", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const [laptop, phone] = [await signIn(user.email), await signIn(user.email)];
    from(laptop);
    expect((await endAllSessions(await currentActor())).ok).toBe(true);
    expect((await row(laptop.sid)).endReason).toBe("signed_out_everywhere");
    expect((await row(phone.sid)).endReason).toBe("signed_out_everywhere");

    const [desk, tablet] = [await signIn(user.email), await signIn(user.email)];
    from(desk);
    const changed = await changeOwnPassword(await currentActor(), {
      currentPassword: PASSWORD,
      newPassword: "a new passphrase 99",
      confirmPassword: "a new passphrase 99",
    });
    expect(changed.ok).toBe(true);
    expect((await row(desk.sid)).endedAt).toBeNull();
    expect((await row(tablet.sid)).endReason).toBe("password_changed");
  });
});

describe("an admin ending a user's sessions", () => {
  it("ends one or all, audited with who did it; the user is told at their next request", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const [laptop, phone, tablet] = [await signIn(user.email), await signIn(user.email), await signIn(user.email)];
    const desk = await signIn(admin.email);
    from(desk);
    const by = (await currentActor())!;
    expect((await listSessionsOf(by, user.id)).map((s) => s.id).sort()).toEqual([laptop.sid, phone.sid, tablet.sid].sort());

    expect(await endSessionsAsAdmin(by, { userId: user.id, sessionId: phone.sid })).toMatchObject({ ok: true });
    from(phone);
    expect(await currentActor()).toBeNull();
    from(laptop);
    expect(await currentActor()).not.toBeNull();

    from(desk);
    expect(await endSessionsAsAdmin(by, { userId: user.id })).toMatchObject({
      ok: true,
      value: { message: expect.stringMatching(/^2 sessions of .*'s ended\./) },
    });
    for (const ended of [laptop, tablet]) {
      from(ended);
      expect(await currentActor()).toBeNull();
      await expect(requireActor()).rejects.toThrow("ended=ended_by_admin");
    }
    expect(await row(laptop.sid)).toMatchObject({ endReason: "ended_by_admin", endedById: admin.id });
    const events = await testDb().auditEvent.findMany({
      where: { action: "session.ended", entityId: user.id },
      orderBy: { seq: "asc" },
      select: { actorId: true, after: true },
    });
    expect(events).toEqual([
      { actorId: admin.id, after: { reason: "ended_by_admin", sessions: [phone.sid], endedBy: admin.email } },
      {
        actorId: admin.id,
        after: { reason: "ended_by_admin", sessions: expect.arrayContaining([laptop.sid, tablet.sid]), endedBy: admin.email },
      },
    ]);
    expect(await denials(user.id)).toEqual(expect.arrayContaining([{ entityId: "session:ended" }]));
  });

  it("is refused to anyone but an admin, and for the admin's own sessions", async () => {
    const user = await createTestUser({ roles: ["change_manager"] });
    const victim = await createTestUser({ roles: ["requester"] });
    const theirs = await signIn(victim.email);
    const mine = await signIn(user.email);
    from(mine);
    const manager = await currentActor();
    expect(await endSessionsAsAdmin(manager, { userId: victim.id })).toEqual({ ok: false, message: "Only an admin can manage users." });
    expect(await denials(user.id)).toEqual([{ entityId: "users.sessions" }]);
    from(theirs);
    expect(await currentActor()).not.toBeNull();

    from(await signIn(admin.email));
    const by = await currentActor();
    expect(await endSessionsAsAdmin(by, { userId: admin.id })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Your sessions/),
    });
    expect(await endSessionsAsAdmin(by, { userId: "'; DROP TABLE users; --" })).toEqual({
      ok: false,
      message: "That request was not understood.",
    });
  });
});

describe("pruning", () => {
  it("records idle and too-old sessions as expired, and deletes sessions ended long ago", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const [idle, old, live, gone] = [
      await signIn(user.email),
      await signIn(user.email),
      await signIn(user.email),
      await signIn(user.email),
    ];
    const now = new Date();
    const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    await testDb().userSession.update({ where: { id: idle.sid }, data: { createdAt: ago(60), lastSeenAt: ago(45) } });
    await testDb().userSession.update({ where: { id: old.sid }, data: { createdAt: ago(9 * 60), lastSeenAt: ago(1) } });
    await testDb().userSession.update({ where: { id: gone.sid }, data: { endedAt: ago(31 * 24 * 60), endReason: "signed_out" } });
    await pruneUserSessions(now);
    expect(await row(idle.sid)).toMatchObject({ endReason: "expired", endedAt: ago(45 - 31) });
    expect(await row(old.sid)).toMatchObject({ endReason: "expired", endedAt: ago(60) });
    expect((await row(live.sid)).endedAt).toBeNull();
    expect(await testDb().userSession.findUnique({ where: { id: gone.sid } })).toBeNull();
  });
});
