import "server-only";
import { decideApiStepUp, decideStepUp, SECOND_FACTOR_HEADER, withTotp, type AuthMethod, type StepUpNeed } from "@/lib/domain/step-up";
import { UNKNOWN_ADDRESS } from "@/lib/domain/client-address";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import type { Actor } from "./current-actor";
import { lockedForMinutes, recordFailure, throttleKeys } from "./login-throttle";
import { verifyPassword } from "./password";
import { checkCodeOfSignedInUser, hasTotp, nowSeconds } from "./second-factor";
import { loadSecondFactorPolicy } from "./second-factor-policy";

// THE STEP-UP GUARD of sensitive actions (votes, sign-offs, waivers, freeze exception approvals,
// role grants, key rotations): the rule is decideStepUp (lib/domain/step-up.ts); this reads its
// facts, checks a code or password typed into the same form, and hands the use case an actor
// whose audit events record how it authenticated. Server actions opt in with `stepUp` (form-action.ts).

/** The form fields the step-up prompt adds to a form (components/auth/step-up-prompt.tsx). */
export const STEP_UP_CODE_FIELD = "stepUpCode";
export const STEP_UP_PASSWORD_FIELD = "stepUpPassword";

export type StepUpTyped = { code?: string; password?: string };

export type StepUpGuard =
  | { ok: true; actor: Actor | null; renewed?: { authAt: number; amr: AuthMethod } }
  | { ok: false; need: StepUpNeed; message: string; fieldErrors?: Record<string, string> };

export async function stepUpGuard(actor: Actor | null, typed: StepUpTyped, now = nowSeconds()): Promise<StepUpGuard> {
  // No actor: the use case refuses it as it always does.
  if (!actor) return { ok: true, actor };
  const method = actor.signIn?.method ?? "password";
  const facts = {
    method,
    // A session that does not say when it authenticated is as stale as can be.
    authAt: actor.signIn?.at ?? 0,
    now,
    stepUpMinutes: env().STEP_UP_MINUTES,
    policy: await loadSecondFactorPolicy(),
    roles: actor.roles,
    totpEnrolled: await hasTotp(actor.id),
  };
  const decision = decideStepUp(facts);
  if (decision.ok) return { ok: true, actor: { ...actor, authentication: { method, ageSeconds: decision.ageSeconds } } };

  const code = typed.code?.trim();
  if (decision.need === "code" && code) {
    const checked = await checkCodeOfSignedInUser(actor, code, "step-up", now);
    if (!checked.ok)
      return { ok: false, need: "code", message: checked.message, fieldErrors: { [STEP_UP_CODE_FIELD]: "Not a valid code." } };
    return confirmed(actor, withTotp(method), facts);
  }
  if (decision.need === "password" && typed.password) {
    const checked = await checkPassword(actor, typed.password);
    if (!checked)
      return {
        ok: false,
        need: "password",
        message: "That password is not right.",
        fieldErrors: { [STEP_UP_PASSWORD_FIELD]: "Not your password." },
      };
    return confirmed(actor, method, facts);
  }
  if (decision.need === "enrol") await recordDenial(actor, "step-up:second-factor-required", decision.message);
  return { ok: false, need: decision.need, message: decision.message };
}

/** After a code or password: the rule again with the session renewed now, so a still-missing factor is still refused. */
function confirmed(actor: Actor, amr: AuthMethod, facts: Parameters<typeof decideStepUp>[0]): StepUpGuard {
  const again = decideStepUp({ ...facts, method: amr, authAt: facts.now });
  if (!again.ok) return { ok: false, need: again.need, message: again.message };
  return { ok: true, actor: { ...actor, authentication: { method: amr, ageSeconds: 0 } }, renewed: { authAt: facts.now, amr } };
}

/** The password again, for a password account without an authenticator app when no second factor is required. */
async function checkPassword(actor: Actor, password: string): Promise<boolean> {
  const keys = throttleKeys(actor.email, actor.request?.clientAddress ?? UNKNOWN_ADDRESS);
  if ((await lockedForMinutes(keys)) > 0) return false;
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (user && password.length <= 1024 && (await verifyPassword(user.passwordHash, password))) return true;
  await inTransaction(async (tx) => {
    await recordFailure(tx, keys);
    await appendAuditEvent(tx, { actor, action: "auth.step_up_failed", entityType: "user", entityId: actor.id, reason: "wrong password" });
  });
  return false;
}

export type ApiStepUpGuard<A extends Actor> =
  { ok: true; actor: A } | { ok: false; refusal: "required" | "invalid" | "locked"; message: string; lockedMinutes?: number };

/**
 * The same guard for an approving API call (api-route.ts): the rule is decideApiStepUp; the code
 * comes in the X-Second-Factor header and is checked as the form's code is (used once, wrong ones
 * throttled and audited). A service account passes through: its use case refuses every approval.
 */
export async function apiStepUpGuard<A extends Actor>(actor: A, code: string | null, now = nowSeconds()): Promise<ApiStepUpGuard<A>> {
  if (actor.kind === "service_account") return { ok: true, actor };
  const [policy, totpEnrolled] = await Promise.all([loadSecondFactorPolicy(), hasTotp(actor.id)]);
  const decision = decideApiStepUp({ policy, roles: actor.roles, totpEnrolled });
  if (decision.ok) return { ok: true, actor: { ...actor, authentication: { method: "token", ageSeconds: 0 } } };
  const typed = code?.trim();
  if (decision.need === "enrol" || !typed) {
    await recordDenial(actor, "step-up:second-factor-required", decision.message);
    return { ok: false, refusal: "required", message: decision.message };
  }
  const checked = await checkCodeOfSignedInUser(actor, typed, "api step-up", now);
  if (!checked.ok)
    return checked.lockedMinutes
      ? { ok: false, refusal: "locked", message: checked.message, lockedMinutes: checked.lockedMinutes }
      : { ok: false, refusal: "invalid", message: `${checked.message} Send it in the ${SECOND_FACTOR_HEADER} header.` };
  return { ok: true, actor: { ...actor, authentication: { method: "token+totp", ageSeconds: 0 } } };
}
