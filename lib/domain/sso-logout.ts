// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): where the browser goes after the
// portal's own sign-out of an SSO session, so the identity provider's session ends too.

/** The post-logout address the portal registers at the IdP: its sign-in page. */
export const postLogoutRedirectUri = (portalUrl: string): string => `${portalUrl.replace(/\/+$/, "")}/signin`;

/**
 * The IdP's end-session address with the ID token as the hint and where to come back, or null
 * when the discovery document names no usable end_session_endpoint (the portal's sign-out alone
 * then). Only an http(s) address is followed: the browser is sent there.
 */
export function endSessionUrl(
  endpoint: unknown,
  params: { idTokenHint?: string; postLogoutRedirectUri: string; clientId: string },
): string | null {
  if (typeof endpoint !== "string") return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  // Without the hint (too long to keep) the IdP asks the user to confirm; client_id still names the portal.
  if (params.idTokenHint) url.searchParams.set("id_token_hint", params.idTokenHint);
  url.searchParams.set("post_logout_redirect_uri", params.postLogoutRedirectUri);
  url.searchParams.set("client_id", params.clientId);
  return url.href;
}
