import "server-only";
import { endSessionUrl, postLogoutRedirectUri } from "@/lib/domain/sso-logout";
import { env } from "../env";
import { usableSsoConfig } from "./sso-config";

// The identity provider's end-session address for a signed-out SSO session (lib/domain/sso-logout.ts).
// The ID token for its hint lives only in the session's encrypted JWT (auth-options.ts), never in
// what the session endpoint hands the browser; the browser sees it once, in the redirect itself.

/** The discovery document is read once per issuer and kept this long. */
const DISCOVERY_TTL_MS = 10 * 60_000;
/** A slow IdP must not hold up the portal's own sign-out, which has already happened. */
const DISCOVERY_TIMEOUT_MS = 3_000;

const discovered = new Map<string, { endpoint: unknown; at: number }>();

async function endSessionEndpoint(issuer: string): Promise<unknown> {
  const cached = discovered.get(issuer);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.endpoint;
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const endpoint = ((await response.json()) as { end_session_endpoint?: unknown }).end_session_endpoint;
  discovered.set(issuer, { endpoint, at: Date.now() });
  return endpoint;
}

/**
 * The ID token kept for the hint, or nothing when it is too long: the session cookie is one
 * cookie of at most 4 KB (session-cookie.ts), and the IdP then asks the user to confirm instead.
 */
export function idTokenForHint(idToken: unknown): { idToken: string } | Record<string, never> {
  return typeof idToken === "string" && idToken.length <= ID_TOKEN_HINT_MAX_LENGTH ? { idToken } : {};
}

const ID_TOKEN_HINT_MAX_LENGTH = 2000;

/** Where the browser goes after signing out of a session that an SSO sign-in started, or null (the portal's sign-in page then). */
export async function ssoEndSessionUrl(token: Record<string, unknown> | null | undefined): Promise<string | null> {
  const sso = usableSsoConfig();
  if (!sso || typeof token?.amr !== "string" || !token.amr.startsWith("sso")) return null;
  try {
    return endSessionUrl(await endSessionEndpoint(sso.issuer), {
      idTokenHint: typeof token.idToken === "string" ? token.idToken : undefined,
      postLogoutRedirectUri: postLogoutRedirectUri(env().NEXTAUTH_URL),
      clientId: sso.clientId,
    });
  } catch (error) {
    console.error("[sso] no sign-out at the identity provider:", (error as Error).message);
    return null;
  }
}

/** next-auth's sign-out answer sent on to the IdP instead: a JSON `{ url }` to next-auth's client, or a redirect. */
export function redirectedTo(response: Response, url: string): Response {
  const headers = new Headers(response.headers);
  if (headers.has("location")) {
    headers.set("location", url);
    return new Response(response.body, { status: response.status, headers });
  }
  headers.delete("content-length");
  return new Response(JSON.stringify({ url }), { status: response.status, headers });
}
