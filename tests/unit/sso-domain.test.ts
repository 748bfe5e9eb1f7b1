import { describe, expect, it } from "vitest";
import { decideSsoAccount, type SsoCandidate } from "@/lib/domain/sso-account-decision";
import { ssoIdentityOf } from "@/lib/domain/sso-claims";
import { signInErrorMessage, SSO_ERROR_MESSAGES } from "@/lib/domain/sso-messages";
import { groupsOfClaim, parseSsoRoleMap, rolesOfGroups } from "@/lib/domain/sso-role-map";

describe("the group to role map", () => {
  it("parses group=role[,role] pairs, merging a group named twice", () => {
    const parsed = parseSsoRoleMap(" admins = admin ; cab=cab_member,requester;cab=auditor;;");
    expect(parsed.ok && [...parsed.map]).toEqual([
      ["admins", ["admin"]],
      ["cab", ["cab_member", "requester", "auditor"]],
    ]);
  });

  it.each(["admins", "=admin", "admins=", "admins=root", "cab=cab_member,superuser"])("refuses %j with a message", (text) => {
    const parsed = parseSsoRoleMap(text);
    expect(parsed.ok).toBe(false);
  });

  it("gives only the mapped groups' roles, from an array or a single string claim, ignoring junk", () => {
    const map = (parseSsoRoleMap("a=admin;b=requester,auditor") as { ok: true; map: Map<string, never> }).map;
    expect(rolesOfGroups(groupsOfClaim(["b", "unmapped", 7, null, "a"]), map)).toEqual(["admin", "auditor", "requester"]);
    expect(rolesOfGroups(groupsOfClaim("a"), map)).toEqual(["admin"]);
    expect(rolesOfGroups(groupsOfClaim({ a: true }), map)).toEqual([]);
    expect(rolesOfGroups(groupsOfClaim(undefined), map)).toEqual([]);
  });
});

describe("which account an SSO sign-in is", () => {
  const identity = (over: object = {}) => {
    const parsed = ssoIdentityOf({ iss: "https://idp.example", sub: "s1", email: "A@Example.test", email_verified: true, ...over });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.identity;
  };
  const account = (over: Partial<SsoCandidate> = {}): SsoCandidate => ({
    id: "u1",
    active: true,
    kind: "user",
    oidcIssuer: null,
    oidcSubject: null,
    ...over,
  });

  it("follows the subject once linked, refuses a deactivated or service account whatever the provider says", () => {
    expect(decideSsoAccount(identity(), account({ oidcSubject: "s1" }), null)).toEqual({ kind: "update", userId: "u1" });
    expect(decideSsoAccount(identity(), account({ active: false }), null)).toEqual({ kind: "refuse", refusal: "deactivated" });
    expect(decideSsoAccount(identity(), account({ kind: "service" }), null)).toEqual({ kind: "refuse", refusal: "service-account" });
  });

  it("links by e-mail only when verified and not linked elsewhere; creates when nobody has the address", () => {
    expect(decideSsoAccount(identity(), null, account())).toEqual({ kind: "link", userId: "u1" });
    expect(decideSsoAccount(identity({ email_verified: false }), null, account())).toEqual({ kind: "refuse", refusal: "email-unverified" });
    expect(decideSsoAccount(identity({ email_verified: "true" }), null, account())).toEqual({ kind: "link", userId: "u1" });
    expect(decideSsoAccount(identity(), null, account({ oidcSubject: "other" }))).toEqual({ kind: "refuse", refusal: "linked-elsewhere" });
    expect(decideSsoAccount(identity(), null, account({ active: false }))).toEqual({ kind: "refuse", refusal: "deactivated" });
    expect(decideSsoAccount(identity(), null, null)).toEqual({ kind: "create" });
    expect(decideSsoAccount(identity({ email: undefined }), null, null)).toEqual({ kind: "refuse", refusal: "no-email" });
  });

  it("reads hostile claims without trusting them", () => {
    expect(ssoIdentityOf({ iss: "https://idp.example", sub: "" }).ok).toBe(false);
    expect(ssoIdentityOf({ iss: "https://idp.example", sub: "a\u0000b" }).ok).toBe(false);
    expect(ssoIdentityOf({ sub: "s" }).ok).toBe(false);
    const odd = ssoIdentityOf({
      iss: "https://idp.example",
      sub: "s",
      email: "not an address",
      name: "x".repeat(500),
      email_verified: "yes",
    });
    expect(odd).toEqual({
      ok: true,
      identity: { issuer: "https://idp.example", subject: "s", email: undefined, emailVerified: false, name: "s" },
    });
    expect(identity().email).toBe("a@example.test");
  });
});

describe("the sign-in page's error messages", () => {
  it("has a message for every code and never echoes an unknown one", () => {
    for (const code of Object.keys(SSO_ERROR_MESSAGES)) expect(signInErrorMessage(code)).toBeTruthy();
    expect(signInErrorMessage("<script>alert(1)</script>")).toBe("Sign-in did not complete. Start again.");
    expect(signInErrorMessage("__proto__")).toBe("Sign-in did not complete. Start again.");
    expect(signInErrorMessage(undefined)).toBeUndefined();
  });
});
