import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy } from "@/lib/server/http/content-security-policy";
import { newNonce, securityHeaders } from "@/lib/server/http/security-headers";

const NONCE = "3q2+7wAAAAAAAAAAAAAAAA==";
const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("the page's Content-Security-Policy", () => {
  const production = directives(contentSecurityPolicy({ nonce: NONCE, dev: false, https: false }));

  it("runs only scripts carrying this response's nonce, never inline code or eval", () => {
    expect(production.get("script-src")).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'"]);
    expect(production.get("default-src")).toEqual(["'self'"]);
  });

  it("forbids framing, plugins, a changed base URL and forms posting elsewhere", () => {
    expect(production.get("frame-ancestors")).toEqual(["'none'"]);
    expect(production.get("object-src")).toEqual(["'none'"]);
    expect(production.get("base-uri")).toEqual(["'none'"]);
    expect(production.get("form-action")).toEqual(["'self'"]);
  });

  it("needs the nonce for style elements and allows only style attributes inline", () => {
    expect(production.get("style-src")).toEqual(["'self'", `'nonce-${NONCE}'`]);
    expect(production.get("style-src-attr")).toEqual(["'unsafe-inline'"]);
  });

  it("allows eval and inline style elements only in development", () => {
    const dev = contentSecurityPolicy({ nonce: NONCE, dev: true, https: false });
    expect(directives(dev).get("script-src")).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'unsafe-eval'"]);
    expect(directives(dev).get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    for (const https of [false, true]) {
      const policy = directives(contentSecurityPolicy({ nonce: NONCE, dev: false, https }));
      expect(policy.get("script-src")).not.toContain("'unsafe-eval'");
      expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    }
  });

  it("upgrades plain-http subresources only when served over https", () => {
    expect(production.has("upgrade-insecure-requests")).toBe(false);
    expect(directives(contentSecurityPolicy({ nonce: NONCE, dev: false, https: true })).get("upgrade-insecure-requests")).toEqual([]);
  });

  it("carries a different nonce each time it is built with one", () => {
    const other = "AAAAAAAAAAAAAAAAAAAAAA==";
    expect(contentSecurityPolicy({ nonce: other, dev: false, https: false })).toContain(`'nonce-${other}'`);
    expect(contentSecurityPolicy({ nonce: other, dev: false, https: false })).not.toContain(NONCE);
  });

  it("refuses a nonce that is short or could break out of the header", () => {
    for (const nonce of [
      "",
      "abc",
      "AAAAAAAAAAAAAAAAAAAAAA==; script-src *",
      "AAAAAAAAAAAAAAAA' 'unsafe-inline",
      "AAAAAAAAAAAAAAAAAAAA\r\nX-Evil: 1",
    ]) {
      expect(() => contentSecurityPolicy({ nonce, dev: false, https: false }), JSON.stringify(nonce)).toThrow(/nonce/);
    }
  });
});

describe("the API's Content-Security-Policy", () => {
  it("lets a JSON, CSV or PEM response load and run nothing, nor be framed", () => {
    const api = directives(API_CONTENT_SECURITY_POLICY);
    expect(api.get("default-src")).toEqual(["'none'"]);
    expect(api.get("frame-ancestors")).toEqual(["'none'"]);
    expect(api.has("script-src")).toBe(false);
  });
});

describe("the per-request security headers", () => {
  it("send HSTS and upgrade subresources only when the public URL is https", () => {
    const https = securityHeaders("page", NONCE, { publicUrl: "https://changes.example.org", dev: false });
    expect(https["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(https["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    const http = securityHeaders("page", NONCE, { publicUrl: "http://localhost:3000", dev: false });
    expect(http["Strict-Transport-Security"]).toBeUndefined();
    expect(http["Content-Security-Policy"]).toContain(`'nonce-${NONCE}'`);
    expect(securityHeaders("api", NONCE, { publicUrl: "https://changes.example.org", dev: false })).toEqual({
      "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
      "Strict-Transport-Security": "max-age=31536000",
    });
  });

  it("make a new 16-byte nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
