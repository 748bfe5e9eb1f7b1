import { describe, expect, it } from "vitest";
import { clientAddressOf, validAddress } from "@/lib/domain/client-address";

describe("the client address believed", () => {
  it("with no trusted proxy is the peer's, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf("203.0.113.7", "198.51.100.1", 0)).toBe("203.0.113.7");
    expect(clientAddressOf("::ffff:203.0.113.7", "198.51.100.1", 0)).toBe("::ffff:203.0.113.7");
    expect(clientAddressOf(undefined, "198.51.100.1", 0)).toBe("unknown");
  });

  it("with n trusted proxies is the n-th X-Forwarded-For entry from the right", () => {
    expect(clientAddressOf("10.0.0.2", "198.51.100.66, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddressOf("10.0.0.2", "1.1.1.1, 203.0.113.7, 10.0.0.9", 2)).toBe("203.0.113.7");
  });

  it("is unknown when the header is shorter than the trusted chain", () => {
    expect(clientAddressOf("10.0.0.2", "203.0.113.7", 2)).toBe("unknown");
    expect(clientAddressOf("10.0.0.2", undefined, 1)).toBe("unknown");
  });

  it("is unknown when the entry is not an IP address", () => {
    for (const bad of [
      "evil",
      "'; DROP TABLE users; --",
      "1.2.3.4.5",
      "a".repeat(10_000),
      "1.2.3.4\u0000",
      "::1%eth0" + "x".repeat(60),
      "<script>",
    ]) {
      expect(clientAddressOf("10.0.0.2", bad, 1)).toBe("unknown");
      expect(clientAddressOf(bad, undefined, 0)).toBe("unknown");
    }
  });

  it("drops a port and IPv6 brackets, and caps the length", () => {
    expect(validAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(validAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(validAddress("[2001:db8::1]")).toBe("2001:db8::1");
    expect(validAddress(" 2001:db8::1 ")).toBe("2001:db8::1");
    expect(validAddress("0000:0000:0000:0000:0000:ffff:255.255.255.255")).toBe("0000:0000:0000:0000:0000:ffff:255.255.255.255");
    expect(validAddress("0000:0000:0000:0000:0000:ffff:255.255.255.2555")).toBeNull();
  });
});
