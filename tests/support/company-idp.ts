// "The company's IdP" for the tests: oidc-provider in-process on a free port, and a driver that
// walks the whole authorization code flow through next-auth's own handler (no browser): the
// portal's sign-in, the IdP's login form, the portal's callback.
// next-auth's framework-free core: the handler its Next.js route wraps (not in the package's exports map).
import { AuthHandler, type RequestInternal } from "../../node_modules/next-auth/core/index.js";
import type { NextAuthOptions } from "next-auth";
import { startIdentityProvider, type IdentityProvider, type IdpAccount } from "../../scripts/lib/identity-provider";

export const PORTAL_URL = "http://localhost:3000";
export const CLIENT = { clientId: "change-portal", clientSecret: "change-portal-test-secret-0123456789" };

export function companyAccounts(): IdpAccount[] {
  return [
    { sub: "u-1001", email: "dana.ops@company.test", name: "Dana Ops", password: "idp-pass-dana", groups: ["cab", "engineering"] },
    { sub: "u-1002", email: "max.admin@company.test", name: "Max Admin", password: "idp-pass-max", groups: ["portal-admins"] },
    { sub: "u-1003", email: "eve.unverified@company.test", name: "Eve", password: "idp-pass-eve", groups: [], emailVerified: false },
  ];
}

/** The IdP, and the settings that point the portal at it (set them before the portal's env() is first read). */
export async function startCompanyIdp(
  portalUrl = PORTAL_URL,
  port?: number,
): Promise<{ idp: IdentityProvider; env: Record<string, string> }> {
  const idp = await startIdentityProvider({
    port,
    clients: [{ ...CLIENT, redirectUris: [`${portalUrl}/api/auth/callback/oidc`], postLogoutRedirectUris: [`${portalUrl}/signin`] }],
    accounts: companyAccounts(),
  });
  const env = {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_ROLE_CLAIM: "groups",
    OIDC_ROLE_MAP: "portal-admins=admin;cab=cab_member,requester;change-managers=change_manager",
  };
  return { idp, env };
}

type Jar = Record<string, string>;
type Attempt = { options: NextAuthOptions; settled: () => Promise<void> };

async function portal(attempt: Attempt, jar: Jar, req: Partial<RequestInternal>) {
  const response = await AuthHandler({
    req: { method: "GET", headers: {}, query: {}, body: {}, cookies: { ...jar }, ...req } as RequestInternal,
    options: attempt.options,
  });
  await attempt.settled();
  for (const c of response.cookies ?? []) {
    if (!c.value || c.options?.maxAge === 0) delete jar[c.name];
    else jar[c.name] = c.value;
  }
  return response;
}

export async function idpRequest(url: string, jar: Jar, init: RequestInit = {}): Promise<Response> {
  const cookie = Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
  const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers ?? {}), cookie } });
  for (const set of response.headers.getSetCookie()) {
    const [pair] = set.split(";");
    const at = pair!.indexOf("=");
    jar[pair!.slice(0, at)] = pair!.slice(at + 1);
  }
  return response;
}

export type FlowStep = { query: Record<string, string>; portalJar: Jar };

/**
 * Signs in through the IdP as a browser would. `beforeCallback` may change what reaches the
 * portal's callback (a forged state, another attempt's cookies). Returns where the portal sent
 * the browser, and the session cookie when it set one.
 */
export async function signInThroughIdp(
  attempt: () => Attempt,
  user: { email: string; password: string },
  beforeCallback?: (step: FlowStep) => void | Promise<void>,
): Promise<{ redirect: string | undefined; sessionToken: string | undefined; idpAuthorizationUrl: URL; idpJar: Jar }> {
  const portalJar: Jar = {};
  const csrf = await portal(attempt(), portalJar, { action: "csrf" });
  const csrfToken = (csrf.body as { csrfToken: string }).csrfToken;
  const start = await portal(attempt(), portalJar, {
    action: "signin",
    providerId: "oidc",
    method: "POST",
    body: { csrfToken, callbackUrl: `${PORTAL_URL}/` },
  });
  const idpAuthorizationUrl = new URL(start.redirect!);
  const idpJar: Jar = {};
  let response = await idpRequest(idpAuthorizationUrl.href, idpJar);
  let location = new URL(response.headers.get("location")!, idpAuthorizationUrl);
  // The IdP's own login form, posted as its page would.
  await idpRequest(location.href, idpJar);
  response = await idpRequest(location.href, idpJar, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(user).toString(),
  });
  if (response.status !== 303) throw new Error(`the IdP refused the login (${response.status})`);
  location = new URL(response.headers.get("location")!, location);
  while (!location.href.startsWith(PORTAL_URL)) {
    response = await idpRequest(location.href, idpJar);
    location = new URL(response.headers.get("location")!, location);
  }
  const step: FlowStep = { query: Object.fromEntries(location.searchParams), portalJar };
  await beforeCallback?.(step);
  const callback = await portal(attempt(), step.portalJar, { action: "callback", providerId: "oidc", query: step.query });
  return {
    redirect: await followErrorRoute(attempt, callback.redirect),
    sessionToken: step.portalJar["next-auth.session-token"],
    idpAuthorizationUrl,
    // The browser's cookies at the IdP: its session there.
    idpJar,
  };
}

export { AuthHandler };

/** next-auth sends failures through its /api/auth/error or /api/auth/signin routes, which send the browser on to the sign-in page. */
export async function followErrorRoute(attempt: () => Attempt, redirect: string | undefined): Promise<string | undefined> {
  for (let hop = 0; hop < 3; hop++) {
    const route = redirect?.match(new RegExp(`^${PORTAL_URL}/api/auth/(error|signin)(?:\\?|$)`))?.[1];
    if (!route) return redirect;
    const query = Object.fromEntries(new URL(redirect!).searchParams);
    redirect = (await portal(attempt(), {}, { action: route as "error" | "signin", query, error: query.error })).redirect;
  }
  return redirect;
}

/** Starts a sign-in at the portal and returns its cookies (state, PKCE verifier, nonce) without going on. */
export async function startedSignIn(attempt: () => Attempt): Promise<Jar> {
  const jar: Jar = {};
  const csrf = await portal(attempt(), jar, { action: "csrf" });
  await portal(attempt(), jar, {
    action: "signin",
    providerId: "oidc",
    method: "POST",
    body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken, callbackUrl: `${PORTAL_URL}/` },
  });
  return jar;
}
