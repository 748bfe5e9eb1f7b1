import { describe, expect, it } from "vitest";
import { decideApiStepUp, decideStepUp, parseAcceptedAmr, ssoMethod, withTotp, type StepUpFacts } from "@/lib/domain/step-up";
import { signedInClaims } from "@/lib/domain/session-lifetime";

const NOW = 2_000_000_000;
const base: StepUpFacts = {
  method: "password",
  authAt: NOW - 60,
  now: NOW,
  stepUpMinutes: 15,
  policy: "off",
  roles: ["cab_member"],
  totpEnrolled: false,
};

describe("decideStepUp", () => {
  it("lets a fresh session through and says how old it is", () => {
    expect(decideStepUp(base)).toEqual({ ok: true, ageSeconds: 60 });
    expect(decideStepUp({ ...base, authAt: NOW - 15 * 60 })).toMatchObject({ ok: true });
  });

  it("asks a stale session for a code, a password, or a fresh SSO sign-in", () => {
    const stale = { ...base, authAt: NOW - 15 * 60 - 1 };
    expect(decideStepUp({ ...stale, totpEnrolled: true })).toMatchObject({ ok: false, need: "code" });
    expect(decideStepUp(stale)).toMatchObject({ ok: false, need: "password" });
    expect(decideStepUp({ ...stale, method: "sso" })).toMatchObject({ ok: false, need: "sign-in" });
    expect(decideStepUp({ ...stale, method: "sso+mfa", totpEnrolled: true })).toMatchObject({ ok: false, need: "code" });
  });

  it("under the required policy, an approver needs a second factor in this very sign-in", () => {
    const required = { ...base, policy: "required" as const };
    expect(decideStepUp(required)).toMatchObject({ ok: false, need: "enrol", message: expect.stringContaining("/account/security") });
    expect(decideStepUp({ ...required, totpEnrolled: true })).toMatchObject({ ok: false, need: "code" });
    expect(decideStepUp({ ...required, method: "password+totp", totpEnrolled: true })).toMatchObject({ ok: true });
    expect(decideStepUp({ ...required, method: "sso+mfa" })).toMatchObject({ ok: true });
    expect(decideStepUp({ ...required, method: "sso" })).toMatchObject({ ok: false, need: "sign-in" });
    // Not an approver: the policy does not apply, freshness still does.
    expect(decideStepUp({ ...required, roles: ["requester"] })).toMatchObject({ ok: true });
  });
});

describe("decideApiStepUp (an approving API call with a personal token)", () => {
  it("takes the token alone when the policy is off and the user has no authenticator app: the page would ask for the password at most", () => {
    expect(decideApiStepUp({ policy: "off", roles: ["cab_member"], totpEnrolled: false })).toEqual({ ok: true });
    // Not an approver: the required policy does not reach them, as on the page.
    expect(decideApiStepUp({ policy: "required", roles: ["requester"], totpEnrolled: false })).toEqual({ ok: true });
  });

  it("asks for the code whenever the user has an authenticator app, whatever the policy", () => {
    for (const policy of ["off", "required"] as const)
      expect(decideApiStepUp({ policy, roles: ["cab_member"], totpEnrolled: true })).toMatchObject({
        ok: false,
        need: "code",
        message: expect.stringContaining("X-Second-Factor"),
      });
  });

  it("sends an approver without an app to enrol under the required policy", () => {
    expect(decideApiStepUp({ policy: "required", roles: ["security_reviewer"], totpEnrolled: false })).toMatchObject({
      ok: false,
      need: "enrol",
      message: expect.stringMatching(/\/account\/security.*X-Second-Factor/),
    });
  });
});

describe("how a sign-in authenticated", () => {
  it("counts an SSO sign-in as multi-factor when amr or acr names an accepted value", () => {
    const accepted = parseAcceptedAmr(" mfa, otp ,hwk,swk");
    expect(accepted).toEqual(["mfa", "otp", "hwk", "swk"]);
    expect(ssoMethod({ amr: ["pwd", "otp"] }, accepted)).toBe("sso+mfa");
    expect(ssoMethod({ acr: "mfa" }, accepted)).toBe("sso+mfa");
    expect(ssoMethod({ amr: ["pwd"], acr: "1" }, accepted)).toBe("sso");
    expect(ssoMethod({ amr: "otp" }, accepted)).toBe("sso");
  });

  it("adds the code to the session's method, and puts when and how in the token", () => {
    expect(withTotp("password")).toBe("password+totp");
    expect(withTotp("sso")).toBe("sso+totp");
    expect(signedInClaims("u", 1, NOW, "password+totp")).toMatchObject({ authAt: NOW, amr: "password+totp", signedInAt: NOW });
  });
});
