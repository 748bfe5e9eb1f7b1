import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentityProvider } from "../../scripts/lib/identity-provider";
import { signInAttempt } from "@/lib/server/auth/auth-options";
import { redirectedTo } from "@/lib/server/auth/sso-logout";
import { startUserSession } from "@/lib/server/auth/user-session-rows";
import { AuthHandler, CLIENT, idpRequest, PORTAL_URL, signInThroughIdp, startCompanyIdp } from "../support/company-idp";
import { createTestUser, testDb } from "../support/fixtures";

// RP-initiated logout against oidc-provider: signing out of the portal after an SSO sign-in sends
// the browser to the IdP's end_session_endpoint with the ID token as the hint, and the IdP's
// session ends there; the ID token stays in the encrypted session cookie, never in the session
// the browser can read.
let idp: IdentityProvider;
const DANA = { email: "dana.ops@company.test", password: "idp-pass-dana" };
const COOKIE = "next-auth.session-token";
type Jar = Record<string, string>;

beforeAll(async () => {
  const started = await startCompanyIdp();
  idp = started.idp;
  Object.assign(process.env, started.env, { NEXTAUTH_URL: PORTAL_URL });
});
afterAll(() => idp?.close());

/** Signs out as next-auth's client does (its CSRF token, then the POST); returns where the route sends the browser. */
async function signOut(sessionToken: string): Promise<{ nextAuthRedirect: string | undefined; endSession: string | null }> {
  const jar: Jar = { [COOKIE]: sessionToken };
  const csrf = await AuthHandler({
    req: { method: "GET", headers: {}, query: {}, body: {}, cookies: jar, action: "csrf" },
    options: signInAttempt("203.0.113.7").options,
  });
  for (const c of csrf.cookies ?? []) jar[c.name] = c.value;
  const attempt = signInAttempt("203.0.113.7");
  const response = await AuthHandler({
    req: {
      method: "POST",
      headers: {},
      query: {},
      body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken, callbackUrl: `${PORTAL_URL}/signin` },
      cookies: jar,
      action: "signout",
    },
    options: attempt.options,
  });
  await attempt.settled();
  return { nextAuthRedirect: response.redirect, endSession: attempt.endSessionUrl() };
}

/** Starts a new sign-in at the IdP with the browser's IdP cookies: where it leads (the login form, or straight back to the portal). */
async function idpSignInGoesTo(authorizationUrl: URL, idpJar: Jar): Promise<"login form" | "portal"> {
  let location = authorizationUrl;
  for (let hop = 0; hop < 6; hop++) {
    if (location.href.startsWith(PORTAL_URL)) return "portal";
    if (location.pathname.startsWith("/interaction/")) return "login form";
    const response = await idpRequest(location.href, idpJar);
    location = new URL(response.headers.get("location")!, location);
  }
  throw new Error("the IdP's redirects did not end");
}

describe("signing out of an SSO session", () => {
  it("ends the IdP's session too: its end_session_endpoint with id_token_hint and the portal's sign-in page to come back to", async () => {
    const signedIn = await signInThroughIdp(() => signInAttempt("203.0.113.7"), DANA);
    const token = await decode({ token: signedIn.sessionToken!, secret: process.env.AUTH_SECRET! });
    // The ID token is in the encrypted cookie, for the hint...
    const idToken = String(token?.idToken);
    // One cookie of at most 4 KB carries it (session-cookie.ts renews it as one).
    expect(signedIn.sessionToken!.length).toBeLessThan(3800);
    const claims = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: idp.issuer, sub: "u-1001", aud: CLIENT.clientId });
    // ...and not in the session the browser reads.
    const session = await AuthHandler({
      req: { method: "GET", headers: {}, query: {}, body: {}, cookies: { [COOKIE]: signedIn.sessionToken! }, action: "session" },
      options: signInAttempt("203.0.113.7").options,
    });
    expect(JSON.stringify(session.body)).toContain(String(token?.sub));
    expect(JSON.stringify(session.body)).not.toContain(idToken.split(".")[1]!);
    // While the IdP's session lives, a new sign-in there goes straight back to the portal.
    expect(await idpSignInGoesTo(signedIn.idpAuthorizationUrl, signedIn.idpJar)).toBe("portal");

    const { nextAuthRedirect, endSession } = await signOut(signedIn.sessionToken!);
    expect(nextAuthRedirect).toBe(`${PORTAL_URL}/signin`);
    const url = new URL(endSession!);
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: idToken,
      post_logout_redirect_uri: `${PORTAL_URL}/signin`,
      client_id: CLIENT.clientId,
    });
    // The portal's own session ended as any sign-out does.
    expect(await testDb().userSession.findUnique({ where: { id: String(token?.sid) } })).toMatchObject({ endReason: "signed_out" });

    // At the IdP: its "sign out?" page, confirmed, sends the browser back to the portal's sign-in page.
    const prompt = await idpRequest(url.href, signedIn.idpJar);
    expect(prompt.status).toBe(200);
    const page = await prompt.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    expect(action && xsrf, page).toBeTruthy();
    const confirmed = await idpRequest(new URL(action!, idp.issuer).href, signedIn.idpJar, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }).toString(),
    });
    expect(confirmed.status).toBe(303);
    expect(new URL(confirmed.headers.get("location")!).href).toMatch(new RegExp(`^${PORTAL_URL}/signin(\\?|$)`));
    // The IdP's session is gone: signing in again asks for the password.
    expect(await idpSignInGoesTo(signedIn.idpAuthorizationUrl, signedIn.idpJar)).toBe("login form");
  });

  it("sends a password session's browser to the portal's sign-in page only", async () => {
    const user = await createTestUser({ roles: ["requester"] });
    const now = Math.floor(Date.now() / 1000);
    const sid = await startUserSession({ userId: user.id, method: "password" });
    const cookie = await encode({
      token: { sub: user.id, sv: 0, signedInAt: now, lastSeenAt: now, authAt: now, amr: "password", sid },
      secret: process.env.AUTH_SECRET!,
    });
    expect(await signOut(cookie)).toEqual({ nextAuthRedirect: `${PORTAL_URL}/signin`, endSession: null });
  });

  it("hands next-auth's client the IdP's address in place of its own, keeping the cookies that end the session", async () => {
    const headers = new Headers({ "content-type": "application/json" });
    headers.append("set-cookie", `${COOKIE}=; Path=/; Max-Age=0`);
    const json = redirectedTo(new Response(JSON.stringify({ url: `${PORTAL_URL}/signin` }), { headers }), "https://idp.example/end?x=1");
    expect(await json.json()).toEqual({ url: "https://idp.example/end?x=1" });
    expect(json.headers.getSetCookie()).toEqual([`${COOKIE}=; Path=/; Max-Age=0`]);
    const redirect = redirectedTo(new Response(null, { status: 302, headers: { location: "/signin" } }), "https://idp.example/end");
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://idp.example/end");
  });
});
