// Where the browser may go after sign-in: only a path on the portal itself. A prefix check is not
// enough ("/\evil.example" and "/<TAB>/evil.example" start with one slash, yet browsers read them
// as another host), so the target is parsed as the browser would, against the portal's origin.

const FALLBACK = "/";
const MAX_LENGTH = 2048;

/** The same-origin path (with query and fragment) that `target` names, or "/" for anything else. */
export function sameOriginPath(target: unknown, origin: string): string {
  if (typeof target !== "string" || target.length === 0 || target.length > MAX_LENGTH) return FALLBACK;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== base.origin) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that starts with "//" or holds a backslash would name another host when used as a link.
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return FALLBACK;
  return path;
}
