import { describe, expect, it } from "vitest";
import { sameOriginPath } from "@/lib/domain/same-origin-path";

const ORIGIN = "https://portal.example.test";

describe("the path sign-in may send the browser to", () => {
  it.each([
    ["/changes/42?tab=votes#v", "/changes/42?tab=votes#v"],
    ["/", "/"],
    ["https://portal.example.test/cab", "/cab"],
    ["/audit/../cab", "/cab"],
  ])("keeps a path on the portal: %s", (target, expected) => {
    expect(sameOriginPath(target, ORIGIN)).toBe(expected);
  });

  it.each([
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    " //evil.example",
    "https://evil.example/",
    "http://portal.example.test/",
    "https://portal.example.test.evil.example/",
    "https://portal.example.test@evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/.//evil.example",
    "",
    "x".repeat(5000),
  ])("refuses %j", (target) => {
    expect(sameOriginPath(target, ORIGIN)).toBe("/");
  });

  it("keeps encoded slashes encoded: a path on the portal, not a host", () => {
    const path = sameOriginPath("/%2F%2Fevil.example", ORIGIN);
    expect(path).toBe("/%2F%2Fevil.example");
    expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
  });

  it("refuses what the old prefix check let through", () => {
    expect(sameOriginPath("/\\evil.example", ORIGIN)).toBe("/");
    expect(sameOriginPath("/\t/evil.example", ORIGIN)).toBe("/");
  });

  it("refuses anything that is not one string", () => {
    expect(sameOriginPath(undefined, ORIGIN)).toBe("/");
    expect(sameOriginPath(["/a", "/b"], ORIGIN)).toBe("/");
    expect(sameOriginPath(42, ORIGIN)).toBe("/");
  });
});
