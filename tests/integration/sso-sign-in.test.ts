import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IdentityProvider } from "../../scripts/lib/identity-provider";
import { signInAttempt } from "@/lib/server/auth/auth-options";
import { createTestUser, testDb } from "../support/fixtures";
import { AuthHandler, followErrorRoute, PORTAL_URL, signInThroughIdp, startCompanyIdp, startedSignIn } from "../support/company-idp";

// The whole authorization code flow against oidc-provider, through next-auth's own handler.
let idp: IdentityProvider;
const ADDRESS = "203.0.113.7";
const attempt = () => signInAttempt(ADDRESS);
const DANA = { email: "dana.ops@company.test", password: "idp-pass-dana" };

beforeAll(async () => {
  const started = await startCompanyIdp();
  idp = started.idp;
  Object.assign(process.env, started.env, { NEXTAUTH_URL: PORTAL_URL });
});
afterAll(() => idp?.close());

/** The `error` of the sign-in page the portal finally sent the browser to, or null when it went elsewhere. */
function signInError(redirect: string | undefined): string | null {
  const url = new URL(redirect ?? "/", PORTAL_URL);
  return url.origin === PORTAL_URL && url.pathname === "/signin" ? url.searchParams.get("error") : null;
}

async function sessionOf(token: string | undefined) {
  return token ? decode({ token, secret: process.env.AUTH_SECRET! }) : null;
}

async function userBySubject(sub: string) {
  return testDb().user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: idp.issuer, oidcSubject: sub } },
    select: { id: true, email: true, name: true, sessionVersion: true, roles: { select: { role: true }, orderBy: { role: "asc" } } },
  });
}

async function eventsSince(seq: bigint, action: string) {
  return testDb().auditEvent.findMany({ where: { seq: { gt: seq }, action }, orderBy: { seq: "asc" } });
}

async function headSeq(): Promise<bigint> {
  return (await testDb().auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
}

describe("SSO sign-in through a real OpenID Connect provider", () => {
  it("finds the provider by discovery, sends PKCE, state and nonce, creates the user just in time with mapped roles", async () => {
    const before = await headSeq();
    const result = await signInThroughIdp(attempt, DANA);
    const params = result.idpAuthorizationUrl.searchParams;
    expect(result.idpAuthorizationUrl.origin).toBe(idp.issuer);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(params.get("state")).toBeTruthy();
    expect(params.get("nonce")).toBeTruthy();
    expect(params.get("response_type")).toBe("code");
    expect(result.redirect).toBe(`${PORTAL_URL}/`);

    const user = await userBySubject("u-1001");
    expect(user).toMatchObject({ email: "dana.ops@company.test", name: "Dana Ops" });
    expect(user!.roles.map((r) => r.role).sort()).toEqual(["cab_member", "requester"]);
    // The session is the portal's own: the portal user, their session version, the idle clock.
    const session = await sessionOf(result.sessionToken);
    expect(session).toMatchObject({ sub: user!.id, sv: user!.sessionVersion });
    expect(typeof session!.signedInAt).toBe("number");
    expect(typeof session!.lastSeenAt).toBe("number");
    // The session's row (user_sessions): the token names it, and it says how they signed in.
    expect(await testDb().userSession.findUnique({ where: { id: String(session!.sid) } })).toMatchObject({
      userId: user!.id,
      method: "sso",
      clientAddress: ADDRESS,
      endedAt: null,
    });

    const created = await eventsSince(before, "user.created_by_sso");
    expect(created).toHaveLength(1);
    const signedIn = await eventsSince(before, "auth.signed_in");
    expect(signedIn.map((e) => [e.actorId, (e.after as { method: string }).method, e.clientAddress])).toEqual([[user!.id, "sso", ADDRESS]]);
  });

  it("updates the user at each sign-in: a removed group loses its role, a changed e-mail keeps the account", async () => {
    const first = await userBySubject("u-1001");
    const dana = idp.accounts.find((a) => a.sub === "u-1001")!;
    dana.groups = ["engineering"];
    dana.email = "dana.renamed@company.test";
    const before = await headSeq();
    const result = await signInThroughIdp(attempt, { email: dana.email, password: dana.password });
    expect(result.redirect).toBe(`${PORTAL_URL}/`);
    const after = await userBySubject("u-1001");
    expect(after!.id).toBe(first!.id);
    expect(after!.email).toBe("dana.renamed@company.test");
    expect(after!.roles).toEqual([]);
    const synced = await eventsSince(before, "user.roles_synced_from_sso");
    expect(synced.map((e) => [e.before, e.after])).toEqual([[{ roles: ["cab_member", "requester"] }, { roles: [] }]]);
    expect(await testDb().user.count({ where: { email: { startsWith: "dana." } } })).toBe(1);
    dana.groups = ["cab", "engineering"];
    dana.email = DANA.email;
  });

  it("refuses a user deactivated in the portal whatever the provider says, and audits it", async () => {
    const dana = idp.accounts.find((a) => a.sub === "u-1001")!;
    const user = await userBySubject("u-1001");
    await testDb().user.update({ where: { id: user!.id }, data: { active: false } });
    const before = await headSeq();
    const result = await signInThroughIdp(attempt, { email: dana.email, password: dana.password });
    expect(signInError(result.redirect)).toBe("sso-deactivated");
    expect(result.sessionToken).toBeUndefined();
    const refused = await eventsSince(before, "auth.sign_in_failed");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatch(/SSO deactivated/);
    expect(refused[0]!.actorId).toBe(user!.id);
    await testDb().user.update({ where: { id: user!.id }, data: { active: true } });
  });

  it("links an existing password account only when the provider verified its e-mail", async () => {
    const max = await createTestUser({ email: "max.admin@company.test", roles: ["requester"] });
    const linked = await signInThroughIdp(attempt, { email: "max.admin@company.test", password: "idp-pass-max" });
    expect(linked.redirect).toBe(`${PORTAL_URL}/`);
    expect((await sessionOf(linked.sessionToken))!.sub).toBe(max.id);
    expect((await userBySubject("u-1002"))!.roles.map((r) => r.role)).toEqual(["admin"]);

    const eve = await createTestUser({ email: "eve.unverified@company.test" });
    const refused = await signInThroughIdp(attempt, { email: "eve.unverified@company.test", password: "idp-pass-eve" });
    expect(signInError(refused.redirect)).toBe("sso-email-unverified");
    expect(refused.sessionToken).toBeUndefined();
    expect(await testDb().user.findUniqueOrThrow({ where: { id: eve.id }, select: { oidcSubject: true } })).toEqual({ oidcSubject: null });
  });

  it("refuses a forged state, a wrong nonce, a wrong issuer and another sign-in's cookies, each as an audit event", async () => {
    const refusedWith = async (result: { redirect: string | undefined; sessionToken: string | undefined }) => {
      expect(signInError(result.redirect)).toBe("OAuthCallback");
      expect(result.sessionToken).toBeUndefined();
    };
    const before = await headSeq();
    // Each refusal must be for its own reason, as openid-client reports it to next-auth's logger.
    const logged = vi.spyOn(console, "error");
    const reasons = () => logged.mock.calls.map((call) => String((call[1] as { error?: Error })?.error?.message ?? ""));
    await refusedWith(await signInThroughIdp(attempt, DANA, ({ query }) => void (query.state = "forged-state")));
    expect(reasons().at(-1)).toMatch(/^state mismatch, expected [\w-]{40,}, got: forged-state$/);

    idp.tamperIdToken = (claims) => ({ ...claims, nonce: "forged-nonce" });
    try {
      await refusedWith(await signInThroughIdp(attempt, DANA));
      expect(reasons().at(-1)).toMatch(/^nonce mismatch, expected [\w-]{40,}, got: forged-nonce$/);
      idp.tamperIdToken = (claims) => ({ ...claims, iss: "https://evil.example" });
      await refusedWith(await signInThroughIdp(attempt, DANA));
      expect(reasons().at(-1)).toBe(`unexpected iss value, expected ${idp.issuer}, got: https://evil.example`);
    } finally {
      idp.tamperIdToken = null;
    }
    // A code delivered into another browser's sign-in: its state and nonce cookies do not match.
    const other = await startedSignIn(attempt);
    await refusedWith(await signInThroughIdp(attempt, DANA, (step) => void (step.portalJar = { ...other })));
    expect(reasons().at(-1)).toMatch(/^state mismatch/);
    logged.mockRestore();

    const failures = await testDb().signInFailureMinute.findMany({ where: { account: `sso:${idp.issuer}`, address: ADDRESS } });
    expect(failures.reduce((n, f) => n + f.failures, 0)).toBe(4);
    const audited = await eventsSince(before, "auth.sign_in_failed");
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited[0]!.reason).toMatch(/^SSO: OAUTH_CALLBACK/);
    expect(await eventsSince(before, "auth.signed_in")).toEqual([]);
  });

  it("answers hostile callback parameters with the sign-in page, never an error", async () => {
    const jar = await startedSignIn(attempt);
    for (const query of [
      { error: "access_denied", error_description: "<script>alert(1)</script>" },
      { code: "x".repeat(5000), state: "\u0000" },
      {},
      { code: "abc", state: "abc", iss: "https://evil.example" },
    ]) {
      const a = attempt();
      const response = await AuthHandler({
        req: { method: "GET", headers: {}, cookies: { ...jar }, query, body: {}, action: "callback", providerId: "oidc" },
        options: a.options,
      });
      await a.settled();
      expect(response.status ?? 302).toBe(302);
      expect(signInError(await followErrorRoute(attempt, response.redirect))).toMatch(/^(OAuthCallback|Callback)$/);
    }
  });
});
