import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isStateChangingMethod } from "@/lib/server/http/cross-site-guard";

const PORTAL = "https://changes.example.org";
const judge = (method: string, headers: Record<string, string>) => crossSiteRefusal({ method, headers: new Headers(headers) }, PORTAL);

describe("a state-changing request (a server action, POST /api/audit/verify, sign-in)", () => {
  it("goes on from the portal's own origin", () => {
    expect(judge("POST", { origin: PORTAL })).toBeNull();
    expect(judge("POST", { origin: PORTAL, "sec-fetch-site": "same-origin" })).toBeNull();
  });

  it.each([
    ["another site", { origin: "https://evil.example" }, /another origin \(https:\/\/evil\.example\)/],
    ["a sibling subdomain", { origin: "https://other.example.org" }, /another origin/],
    ["the same host over http", { origin: "http://changes.example.org" }, /another origin/],
    ["the same host on another port", { origin: "https://changes.example.org:8443" }, /another origin/],
    ["an opaque origin", { origin: "null" }, /opaque origin \(null\)/],
    ["no Origin", {}, /no Origin header/],
    ["no Origin but same-origin fetch metadata", { "sec-fetch-site": "same-origin" }, /no Origin header/],
    ["the right Origin but cross-site fetch metadata", { origin: PORTAL, "sec-fetch-site": "cross-site" }, /cross-site/],
  ])("is refused from %s", (_what, headers, reason) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) expect(judge(method, headers)).toMatch(reason);
  });

  it("cuts a long foreign origin short in the message", () => {
    expect(judge("POST", { origin: `https://${"a".repeat(5000)}.example` })!.length).toBeLessThan(200);
  });
});

describe("a GET of an export", () => {
  it.each([
    ["the portal's own link", { "sec-fetch-site": "same-origin" }],
    ["a typed or bookmarked address", { "sec-fetch-site": "none" }],
    ["a same-origin fetch that names its origin", { origin: PORTAL, "sec-fetch-site": "same-origin" }],
    ["a client that is no browser (curl, a script)", {}],
  ])("goes on from %s", (_what, headers) => {
    expect(judge("GET", headers)).toBeNull();
  });

  it.each([
    ["a link on another site", { "sec-fetch-site": "cross-site" }],
    ["a sibling subdomain", { "sec-fetch-site": "same-site" }],
    ["a cross-origin fetch", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
  ])("is refused from %s", (_what, headers) => {
    expect(judge("GET", headers)).not.toBeNull();
  });
});

it("only GET, HEAD and OPTIONS are safe methods", () => {
  expect(["GET", "HEAD", "OPTIONS", "get"].map(isStateChangingMethod)).toEqual([false, false, false, false]);
  expect(["POST", "PUT", "PATCH", "DELETE"].map(isStateChangingMethod)).toEqual([true, true, true, true]);
});
