import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { API_SCOPES, DEFAULT_TOKEN_DAYS, newTokenSchema, tokenExpiry, tokenState } from "@/lib/domain/api-scopes";
import { base32, bearerToken, hashToken, newToken, parseToken, TOKEN_PATTERN, tokenMatches } from "@/lib/domain/api-token";

describe("token format", () => {
  it("is ccp_, a 12-character public id, _, and 52 characters (256 bits) of secret", () => {
    const { token, publicId, secretHash } = newToken();
    expect(token).toMatch(/^ccp_[a-z2-7]{12}_[a-z2-7]{52}$/);
    expect(token.slice(4, 16)).toBe(publicId);
    expect(secretHash).toBe(hashToken(token));
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash).not.toContain(token.slice(17));
  });

  it("matches the documented scanner pattern inside text, and parses back to its public id", () => {
    const { token, publicId } = newToken();
    expect(TOKEN_PATTERN.exec(`export API_TOKEN=${token}\n`)?.[0]).toBe(token);
    expect(parseToken(token)).toEqual({ publicId, token });
  });

  it("never repeats (fresh randomness each time)", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newToken().token));
    expect(tokens.size).toBe(200);
  });

  it("encodes base32 as RFC 4648 (lower case, no padding)", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(base32(ascii("foobar"))).toBe("mzxw6ytboi");
    expect(base32(ascii("f"))).toBe("my");
    expect(base32(new Uint8Array(32))).toBe("a".repeat(52));
  });
});

describe("parsing hostile tokens", () => {
  const { token } = newToken();
  it.each([
    ["empty", ""],
    ["another prefix", token.replace("ccp_", "ghp_")],
    ["an upper-case prefix", token.replace("ccp_", "CCP_")],
    ["upper case", token.toUpperCase()],
    ["one character short", token.slice(0, -1)],
    ["one character long", `${token}a`],
    ["a leading space", ` ${token}`],
    ["a trailing newline", `${token}\n`],
    ["a character outside base32", `${token.slice(0, -1)}1`],
    ["a padded secret", `${token.slice(0, -1)}=`],
    ["a missing separator", token.replace(/_([a-z2-7]{52})$/, "$1a")],
    // A fixed position: a random token need not contain any letter "a" to replace.
    ["a homoglyph", `${token.slice(0, 20)}а${token.slice(21)}`],
    ["a NUL", `${token.slice(0, 20)}\u0000${token.slice(21)}`],
  ])("refuses %s", (_label, text) => {
    expect(parseToken(text)).toBeNull();
  });

  it("refuses every single-character change to the secret once hashed", () => {
    const { token, secretHash } = newToken();
    for (let i = 0; i < token.length; i++) {
      const changed = `${token.slice(0, i)}${token[i] === "a" ? "b" : "a"}${token.slice(i + 1)}`;
      expect(tokenMatches(changed, secretHash)).toBe(false);
    }
    expect(tokenMatches(token, secretHash)).toBe(true);
  });

  it("refuses a stored hash of another length instead of throwing", () => {
    expect(tokenMatches(token, "00")).toBe(false);
    expect(tokenMatches(token, "")).toBe(false);
  });

  it("parses nothing that is not exactly one token (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const parsed = parseToken(text);
        if (parsed) expect(text).toMatch(/^ccp_[a-z2-7]{12}_[a-z2-7]{52}$/);
      }),
    );
  });
});

describe("the Authorization header", () => {
  it.each([
    [null, { refusal: "missing" }],
    ["", { refusal: "missing" }],
    ["Bearer", { refusal: "malformed" }],
    ["Bearer ", { refusal: "malformed" }],
    ["Basic dXNlcjpwYXNz", { refusal: "malformed" }],
    ["Bearer a b", { refusal: "malformed" }],
    ["Bearer ccp_x", { token: "ccp_x" }],
    ["bearer  ccp_x", { token: "ccp_x" }],
  ])("%j", (header, expected) => {
    expect(bearerToken(header)).toEqual(expected);
  });
});

describe("issuing", () => {
  it("defaults to 90 days and every listed scope, in a fixed order, once", () => {
    const parsed = newTokenSchema.parse({ name: " CI ", scopes: ["audit:read", "changes:read", "audit:read"] });
    expect(parsed).toEqual({ name: "CI", scopes: ["changes:read", "audit:read"], expiresInDays: DEFAULT_TOKEN_DAYS });
    expect(newTokenSchema.parse({ name: "x", scopes: [...API_SCOPES], expiresInDays: "365" }).expiresInDays).toBe(365);
  });

  it.each([
    [{ name: "", scopes: ["changes:read"] }, "name"],
    [{ name: "x", scopes: [] }, "scopes"],
    [{ name: "x", scopes: ["admin:all"] }, "scopes"],
    [{ name: "x", scopes: ["changes:read"], expiresInDays: 366 }, "expiresInDays"],
    [{ name: "x", scopes: ["changes:read"], expiresInDays: 0 }, "expiresInDays"],
    [{ name: "x", scopes: ["changes:read"], expiresInDays: 1.5 }, "expiresInDays"],
    [{ name: "a\u0007b", scopes: ["changes:read"] }, "name"],
  ])("refuses %j on %s", (input, field) => {
    const result = newTokenSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it("knows when a token has expired or was revoked", () => {
    const issued = new Date("2026-01-01T00:00:00Z");
    const expiresAt = tokenExpiry(issued, 90);
    expect(expiresAt.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(tokenState({ expiresAt, revokedAt: null }, new Date("2026-03-31T23:59:59Z"))).toBe("active");
    expect(tokenState({ expiresAt, revokedAt: null }, expiresAt)).toBe("expired");
    expect(tokenState({ expiresAt, revokedAt: issued }, issued)).toBe("revoked");
  });
});
