// The demo's identity provider: `npm start` in demo mode runs it beside the portal (README,
// "Single sign-on"), so the sign-in page offers SSO with no network. Never in production mode.
import { startIdentityProvider, type IdentityProvider, type IdpAccount } from "./identity-provider";

export const DEMO_IDP_DEFAULT_PORT = 3001;
export const DEMO_SSO_PASSWORD = "demo-sso-2026";
const CLIENT = { clientId: "change-portal-demo", clientSecret: "demo-sso-client-secret-not-for-production" };
const ROLE_MAP =
  "portal-admins=admin;change-managers=change_manager;cab=cab_member;engineering=requester,implementer;security=security_reviewer";

export function demoSsoAccounts(): IdpAccount[] {
  return [
    {
      sub: "demo-sso-1",
      email: "sasha.sso@demo.local",
      name: "Sasha Sso",
      password: DEMO_SSO_PASSWORD,
      groups: ["change-managers", "cab"],
    },
    { sub: "demo-sso-2", email: "robin.sso@demo.local", name: "Robin Sso", password: DEMO_SSO_PASSWORD, groups: ["engineering"] },
    { sub: "demo-sso-3", email: "jordan.sso@demo.local", name: "Jordan Sso", password: DEMO_SSO_PASSWORD, groups: ["portal-admins"] },
  ];
}

/** Starts the demo IdP for these portal addresses; returns it and the settings that point the portal at it. */
export async function startDemoIdp(portalUrls: string[], port: number): Promise<{ idp: IdentityProvider; env: Record<string, string> }> {
  const accounts = demoSsoAccounts();
  const idp = await startIdentityProvider({
    port,
    clients: [
      {
        ...CLIENT,
        redirectUris: portalUrls.map((u) => `${u.replace(/\/+$/, "")}/api/auth/callback/oidc`),
        postLogoutRedirectUris: portalUrls.map((u) => `${u.replace(/\/+$/, "")}/signin`),
      },
    ],
    accounts,
    loginHint: `Demo identity provider. Every user's password is ${DEMO_SSO_PASSWORD}:\n${accounts
      .map((a) => `${a.email} (${a.groups.join(", ")})`)
      .join("\n")}`,
  });
  const env = {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_ROLE_CLAIM: "groups",
    OIDC_ROLE_MAP: ROLE_MAP,
    OIDC_DISPLAY_NAME: "SSO",
  };
  return { idp, env };
}
