import "server-only";
import { API_TITLE } from "../api/openapi";
import { scalarBundlePath } from "./scalar-bundle";

// The /api/docs page: Scalar's API reference of /api/v1/openapi.json, its script carrying this
// response's CSP nonce. Configured to fetch nothing but our origin: no web fonts, no telemetry,
// no agent chat (each would call scalar.com).

const CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  documentDownloadType: "json",
  // Its "Open API Client" button links to client.scalar.com with our document's address.
  hideClientButton: true,
  defaultOpenAllTags: true,
  persistAuth: false,
  metaData: { title: `${API_TITLE} · reference` },
};

/**
 * Runs before Scalar, under the page's own policy (no 'unsafe-inline' style, no 'unsafe-eval'):
 * Scalar's bundle adds its stylesheets as <style> elements it creates, so each style element a
 * script creates gets this page's nonce (scripts here already run only by nonce; a <style> in
 * injected markup is still refused); and its bundled zod probes for eval with `new Function("")`
 * inside a try, so that constructor refuses as the CSP would, without a violation report.
 */
const SHIM = `(() => {
  const nonce = document.currentScript.nonce;
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    const element = createElement.call(this, name, options);
    if (String(name).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
  globalThis.Function = new Proxy(Function, {
    apply() { throw new EvalError("Code from strings is refused by this page's Content-Security-Policy."); },
    construct() { throw new EvalError("Code from strings is refused by this page's Content-Security-Policy."); },
  });
})();`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The nonce proxy.ts put in the request's CSP header (Next.js reads it the same way for pages). */
export function requestNonce(request: Request): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(request.headers.get("content-security-policy") ?? "")?.[1];
  if (!nonce) throw new Error("No CSP nonce on the request: /api/docs must pass through proxy.ts.");
  return nonce;
}

export function docsPageHtml(nonce: string): string {
  const n = escapeHtml(nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(API_TITLE)} · reference</title>
</head>
<body>
<noscript>The reference needs JavaScript. The document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
<script nonce="${n}">${SHIM}</script>
<script id="api-reference" nonce="${n}" data-url="/api/v1/openapi.json" data-configuration="${escapeHtml(JSON.stringify(CONFIGURATION))}"></script>
<script nonce="${n}" src="${escapeHtml(scalarBundlePath())}"></script>
</body>
</html>
`;
}
