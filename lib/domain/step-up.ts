import type { Role } from "./roles";

// How a session authenticated, and whether it may approve now: the second-factor policy for
// approvers and the step-up rule for sensitive actions (votes, sign-offs, waivers, freeze
// exception approvals, role grants, key rotations, API tokens), in one place. Times are Unix seconds.

/** How the user last proved who they are: the JWT's `amr` claim. */
export const AUTH_METHODS = ["password", "password+totp", "sso", "sso+mfa", "sso+totp"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export const isAuthMethod = (value: unknown): value is AuthMethod => (AUTH_METHODS as readonly unknown[]).includes(value);

/** Whether the authentication used a second factor (ours, or the identity provider's). */
export const usedSecondFactor = (method: AuthMethod): boolean => method !== "password" && method !== "sso";

/** The same session's method after a TOTP code confirmed it. */
export const withTotp = (method: AuthMethod): AuthMethod =>
  method.startsWith("sso") ? (method === "sso+mfa" ? method : "sso+totp") : "password+totp";

/** An SSO sign-in's method: "sso+mfa" when the ID token's `amr` or `acr` names an accepted second factor. */
export function ssoMethod(claims: { amr?: unknown; acr?: unknown }, accepted: readonly string[]): AuthMethod {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  const said = [...amr, ...(typeof claims.acr === "string" ? [claims.acr] : [])];
  return said.some((value) => accepted.includes(value)) ? "sso+mfa" : "sso";
}

/** A comma-separated setting (OIDC_MFA_AMR) as a list. */
export const parseAcceptedAmr = (setting: string): string[] =>
  setting
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** The roles that approve something (issue 34): their holders must have a second factor when the policy says so. */
export const APPROVING_ROLES: readonly Role[] = ["change_manager", "cab_member", "security_reviewer", "admin"];

export const holdsApprovingRole = (roles: readonly Role[]): boolean => roles.some((role) => APPROVING_ROLES.includes(role));

/** The organisation's second-factor policy for approvers (app setting). */
export const SECOND_FACTOR_POLICIES = ["required", "off"] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];

/** The stored setting as a policy: absent or unreadable is the safe default. */
export const parseSecondFactorPolicy = (value: unknown): SecondFactorPolicy => (value === "off" ? "off" : "required");

/** The sign-in's answer when the password was right and a code is still needed: the form then asks for it. */
export const SECOND_FACTOR_NEEDED = "Enter the 6-digit code from your authenticator app, or one of your recovery codes.";

/** Where a user sets up their authenticator app. */
export const ENROL_PATH = "/account/security";

export const ENROL_MESSAGE = `Approvals need a second factor. Set up an authenticator app on your account's security page (${ENROL_PATH}), then try again.`;
export const CODE_MESSAGE = "Confirm it is you: enter the code from your authenticator app (or a recovery code), then submit again.";
export const PASSWORD_MESSAGE = "Confirm it is you: enter your password, then submit again.";
export const SIGN_IN_AGAIN_MESSAGE =
  "Your sign-in is too old for this action, or did not use a second factor: sign in again through SSO (with a second factor), then submit again.";

/** What the form must ask for before the action may go on. */
export type StepUpNeed = "code" | "password" | "sign-in" | "enrol";

export type StepUpFacts = {
  method: AuthMethod;
  /** When the session last authenticated. */
  authAt: number;
  now: number;
  stepUpMinutes: number;
  policy: SecondFactorPolicy;
  roles: readonly Role[];
  /** Whether the user has a confirmed authenticator app. */
  totpEnrolled: boolean;
};

export type StepUpDecision = { ok: true; ageSeconds: number } | { ok: false; need: StepUpNeed; message: string };

const MESSAGES: Record<StepUpNeed, string> = {
  code: CODE_MESSAGE,
  password: PASSWORD_MESSAGE,
  "sign-in": SIGN_IN_AGAIN_MESSAGE,
  enrol: ENROL_MESSAGE,
};

const need = (what: StepUpNeed): StepUpDecision => ({ ok: false, need: what, message: MESSAGES[what] });

/**
 * Whether a sensitive action may go on with this session: fresh enough (STEP_UP_MINUTES), and,
 * for an approver under the "required" policy, authenticated with a second factor. Otherwise
 * what to ask for: a code when the user has an authenticator app, a fresh SSO sign-in for an SSO
 * session without one, the password for a password account when no second factor is required.
 */
export function decideStepUp(facts: StepUpFacts): StepUpDecision {
  const ageSeconds = Math.max(0, facts.now - facts.authAt);
  const fresh = ageSeconds <= facts.stepUpMinutes * 60;
  const sso = facts.method.startsWith("sso");
  if (facts.policy === "required" && holdsApprovingRole(facts.roles)) {
    if (fresh && usedSecondFactor(facts.method)) return { ok: true, ageSeconds };
    if (facts.totpEnrolled) return need("code");
    return need(sso ? "sign-in" : "enrol");
  }
  if (fresh) return { ok: true, ageSeconds };
  if (facts.totpEnrolled) return need("code");
  return need(sso ? "sign-in" : "password");
}

/** How an API request authenticated: its token alone, or with a code of the user's second factor (SECOND_FACTOR_HEADER). */
export const TOKEN_AUTH_METHODS = ["token", "token+totp"] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];

/** What a sensitive action's audit events record about how the actor authenticated (a session's or a token's way). */
export type AuthenticationRecord = { method: AuthMethod | TokenAuthMethod; ageSeconds: number };

/** The request header that carries the second factor's code to an approving API call (as GitHub's X-GitHub-OTP). */
export const SECOND_FACTOR_HEADER = "X-Second-Factor";

export const API_ENROL_MESSAGE = `Approvals need a second factor. Set up an authenticator app on your account's security page (${ENROL_PATH}), then send its current code in the ${SECOND_FACTOR_HEADER} header.`;
export const API_CODE_MESSAGE = `This approval needs your second factor: send the current code of your authenticator app (or an unused recovery code) in the ${SECOND_FACTOR_HEADER} header.`;

export type ApiStepUpFacts = Pick<StepUpFacts, "policy" | "roles" | "totpEnrolled">;
export type ApiStepUpDecision = { ok: true } | { ok: false; need: "code" | "enrol"; message: string };

/**
 * Whether an approving API call (the endpoints of the actions decideStepUp guards) may go on with
 * the token alone. The token is presented with every request, so it is always fresh, and it
 * stands in for the password the page would ask for: never for a second factor. So a code must
 * come with the request whenever the page's sign-in would have needed one: the user has an
 * authenticator app (their sign-in always takes its code), or decideStepUp asks a fresh
 * password-only sign-in for one (an approver under the "required" policy, who must enrol first).
 * With the policy off and no app, the page would ask for the password at most: the token suffices.
 */
export function decideApiStepUp(facts: ApiStepUpFacts): ApiStepUpDecision {
  if (facts.totpEnrolled) return { ok: false, need: "code", message: API_CODE_MESSAGE };
  const asPage = decideStepUp({ ...facts, method: "password", authAt: 0, now: 0, stepUpMinutes: 0, totpEnrolled: false });
  return asPage.ok ? { ok: true } : { ok: false, need: "enrol", message: API_ENROL_MESSAGE };
}
