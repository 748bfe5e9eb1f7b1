import { describe, expect, it } from "vitest";
import { requestedPath, signInAddress } from "@/lib/domain/sign-in-address";
import { sameOriginPath } from "@/lib/domain/same-origin-path";

const callbackOf = (address: string) => new URL(address, "http://portal.test").searchParams.get("callbackUrl");

describe("the sign-in address a signed-out visitor is sent to", () => {
  it.each(["/changes/123?tab=x", "/changes/123?tab=x#votes", "/audit?q=a%20b&type=normal", "/notifications"])(
    "carries the page asked for: %s",
    (path) => {
      const address = signInAddress(path);
      expect(address.startsWith("/signin?callbackUrl=")).toBe(true);
      expect(callbackOf(address)).toBe(path);
    },
  );

  it.each([null, undefined, "", "/", "/signin", "/signin?callbackUrl=%2Fcab"])("carries nothing for %j", (path) => {
    expect(signInAddress(path)).toBe("/signin");
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " //evil.example",
    "x".repeat(5000),
  ])("never carries another site: %j", (path) => {
    expect(signInAddress(path)).toBe("/signin");
  });
});

describe("the path the proxy says was asked for", () => {
  it("keeps the query as the browser sent it", () => {
    expect(requestedPath(new URL("http://portal.test/changes/1?tab=x&q=a%20b"))).toBe("/changes/1?tab=x&q=a%20b");
    expect(requestedPath(new URL("http://portal.test/cab"))).toBe("/cab");
  });

  it("drops the router's _rsc parameter", () => {
    expect(requestedPath(new URL("http://portal.test/changes/1?_rsc=abc12"))).toBe("/changes/1");
    expect(requestedPath(new URL("http://portal.test/changes/1?tab=x&_rsc=abc12"))).toBe("/changes/1?tab=x");
  });
});

describe("encoded and disguised off-site forms of a callback", () => {
  const ORIGIN = "https://portal.example.test";
  it.each([
    // What a query string decodes to before the sign-in page reads it.
    decodeURIComponent("%2F%2Fevil.example"),
    decodeURIComponent("%2F%5Cevil.example"),
    decodeURIComponent("%5C%5Cevil.example"),
    decodeURIComponent("java%0Ascript%3Aalert(1)"),
    " javascript:alert(1)",
    "\u0000//evil.example",
    "//evil.example%2F..",
  ])("lands on Home: %j", (target) => {
    expect(sameOriginPath(target, ORIGIN)).toBe("/");
  });

  it("keeps a still-encoded backslash as a path on the portal", () => {
    const path = sameOriginPath("/%5Cevil.example", ORIGIN);
    expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
    expect(path.includes("\\")).toBe(false);
  });
});
