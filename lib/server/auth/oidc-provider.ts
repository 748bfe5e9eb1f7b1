import "server-only";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import type { SsoConfig } from "./sso-config";

export const OIDC_PROVIDER_ID = "oidc";

type Claims = Record<string, unknown>;

/**
 * The organisation's identity provider for next-auth: discovery from the issuer, the
 * authorization code flow with PKCE, state and nonce, and the ID token verified by openid-client
 * (signature, issuer, audience, expiry, nonce). Claims the ID token leaves out (many providers
 * put groups or e-mail only in userinfo) are read from the userinfo endpoint, whose `sub`
 * openid-client checks against the ID token's; the ID token's own claims win.
 */
export function oidcProvider(config: SsoConfig): OAuthConfig<Claims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.displayName,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scopes } },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    userinfo: {
      async request({ tokens, client }) {
        // With idToken: true next-auth hands over openid-client's verified TokenSet (typed only as its parameters).
        const set = tokens as TokenSet;
        const claims = set.claims() as Claims;
        const info = client.issuer.metadata.userinfo_endpoint && set.access_token ? ((await client.userinfo(set)) as Claims) : {};
        return { ...info, ...claims };
      },
    },
    profile: (claims) => ({
      id: typeof claims.sub === "string" ? claims.sub : "",
      name: typeof claims.name === "string" ? claims.name : null,
      email: typeof claims.email === "string" ? claims.email : null,
    }),
  };
}
