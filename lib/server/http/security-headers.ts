import "server-only";
import { env } from "../env";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy } from "./content-security-policy";

// One year, this host only: includeSubDomains or preload would bind hosts the portal does not own.
const STRICT_TRANSPORT_SECURITY = "max-age=31536000";

/** 16 random bytes in base64, fresh for each response. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The headers that depend on the request or the runtime configuration (the fixed ones are in
 * next.config.ts): the page's CSP with its nonce, the API's CSP, and HSTS when served over https.
 */
export function securityHeaders(
  kind: "page" | "api",
  nonce: string,
  served = { publicUrl: env().NEXTAUTH_URL, dev: process.env.NODE_ENV === "development" },
): Record<string, string> {
  const https = new URL(served.publicUrl).protocol === "https:";
  const policy = kind === "api" ? API_CONTENT_SECURITY_POLICY : contentSecurityPolicy({ nonce, dev: served.dev, https });
  return { "Content-Security-Policy": policy, ...(https ? { "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY } : {}) };
}
