import "server-only";

export type PolicyOptions = {
  /** A fresh random value per response; Next.js puts it on its own scripts and styles. */
  nonce: string;
  /** `next dev` evaluates code for its error overlay and fast refresh, and its overlay injects styles. */
  dev: boolean;
  /** Served over https: plain-http subresources are upgraded rather than loaded. */
  https: boolean;
};

/**
 * The Content-Security-Policy of a page. Scripts run only with this response's nonce (and what
 * those scripts load, by 'strict-dynamic'); no inline script, no eval outside development. Style
 * elements and stylesheets need the nonce or our origin; style attributes are allowed because
 * recharts and React render sizes as style="…" (they cannot run code or fetch from elsewhere).
 */
export function contentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonce)) throw new Error("A CSP nonce must be base64 of at least 12 random bytes.");
  return serialize({
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    // next dev's overlay injects <style> elements without the nonce (a nonce would void 'unsafe-inline').
    "style-src": dev ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    ...(https ? { "upgrade-insecure-requests": [] } : {}),
  });
}

/** The policy of an API response (JSON, CSV, PEM): nothing in it may load or run anything. */
export const API_CONTENT_SECURITY_POLICY = serialize({
  "default-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
  "frame-ancestors": ["'none'"],
});

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}
