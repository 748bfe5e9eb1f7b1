import { sameOriginPath } from "./same-origin-path";

/** The request header through which the proxy tells pages which address the browser asked for. */
export const REQUESTED_PATH_HEADER = "x-portal-requested-path";

// Parsed against a placeholder origin: only the path matters, and it must stay on the portal.
const ANY_ORIGIN = "http://portal.invalid";

/**
 * Where to send a visitor who needs to sign in: the sign-in page, carrying the page they asked
 * for so that sign-in returns them there. Home and sign-in itself are not worth carrying.
 */
export function signInAddress(requested: string | null | undefined, ended?: string): string {
  const path = sameOriginPath(requested, ANY_ORIGIN);
  // `ended`: why the visitor's session ended, for the sign-in page to say (lib/domain/user-sessions.ts).
  const because = ended ? { ended } : undefined;
  if (path === "/" || path === "/signin" || path.startsWith("/signin?") || path.startsWith("/signin#"))
    return because ? `/signin?${new URLSearchParams(because)}` : "/signin";
  return `/signin?${new URLSearchParams({ callbackUrl: path, ...because })}`;
}

/** The path and query the browser asked for, without the router's own cache-busting parameter. */
export function requestedPath(url: URL): string {
  if (!url.searchParams.has("_rsc")) return `${url.pathname}${url.search}`;
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}
