import "server-only";
import { signInInputSchema } from "@/lib/domain/sign-in-input";
import { SECOND_FACTOR_NEEDED, type AuthMethod } from "@/lib/domain/step-up";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";
import { decoyHash, verifyPassword } from "./password";
import { clearAccountFailures, lockedForMinutes, recordFailure, throttleKeys } from "./login-throttle";
import { recordSignInFailure } from "./sign-in-failures";
import { passwordSignInPolicy } from "./sso-config";
import { hasTotp, nowSeconds, useSecondFactorCode } from "./second-factor";

export const INVALID_CREDENTIALS = "The email address or password is incorrect.";
export const PASSWORD_SIGN_IN_OFF = "Password sign-in is turned off: sign in with SSO.";

/** Tells the other admins of a break-glass sign-in, in its transaction (lib/server/notifications: auth may not import mail delivery). */
export type BreakGlassNotifier = (tx: Tx, who: { id: string; email: string }, address: string) => Promise<void>;

export type AuthenticationResult =
  { ok: true; userId: string; sessionVersion: number; method: AuthMethod } | { ok: false; message: string };

export const WRONG_SIGN_IN_CODE = "That code is not right, or was already used.";

/** Checks a sign-in attempt. Unknown, deactivated and wrong-password accounts get the same answer. */
export async function authenticate(
  input: unknown,
  address: string,
  notifyBreakGlass?: BreakGlassNotifier,
  now = nowSeconds(),
): Promise<AuthenticationResult> {
  const parsed = signInInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: INVALID_CREDENTIALS };
  const { email, password, code } = parsed.data;
  const keys = throttleKeys(email, address);

  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, active: true, passwordHash: true, sessionVersion: true, roles: { select: { role: true } } },
  });
  const actor = user ? { id: user.id, email } : null;
  // With password sign-in off only the named break-glass admins may use it; the list is configuration, so the answer reveals no account.
  const policy = passwordSignInPolicy();
  const breakGlass = !policy.enabled && policy.breakGlass.includes(email);
  if (!policy.enabled && !breakGlass) {
    await inTransaction((tx) => recordSignInFailure(tx, { actor, email, address, reason: "password sign-in is turned off" }));
    return { ok: false, message: PASSWORD_SIGN_IN_OFF };
  }
  const minutes = await lockedForMinutes(keys);
  if (minutes > 0) {
    await inTransaction((tx) => recordSignInFailure(tx, { actor, email, address, reason: "locked out" }));
    return { ok: false, message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
  }

  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  const notAdmin = breakGlass && !user?.roles.some((r) => r.role === "admin");
  if (!user || !user.active || !matches || notAdmin) {
    const reason = !user
      ? "unknown account"
      : !user.active
        ? "deactivated account"
        : !matches
          ? "wrong password"
          : "break-glass account is not an admin";
    await inTransaction(async (tx) => {
      await recordFailure(tx, keys);
      await recordSignInFailure(tx, { actor, email, address, reason });
    });
    return { ok: false, message: INVALID_CREDENTIALS };
  }
  // The password was right; an account with an authenticator app also needs a code, and a wrong one counts as a failure.
  const secondFactor = await hasTotp(user.id);
  if (secondFactor && !code?.trim()) return { ok: false, message: SECOND_FACTOR_NEEDED };
  if (secondFactor) {
    const checked = await inTransaction((tx) => useSecondFactorCode(tx, user.id, code ?? "", now));
    if (!checked.ok) {
      await inTransaction(async (tx) => {
        await recordFailure(tx, keys);
        await recordSignInFailure(tx, { actor, email, address, reason: "wrong second-factor code" });
        await appendAuditEvent(tx, {
          actor,
          action: "auth.second_factor_failed",
          entityType: "user",
          entityId: user.id,
          reason: "sign-in",
          clientAddress: address,
        });
      });
      return { ok: false, message: WRONG_SIGN_IN_CODE };
    }
  }
  const method: AuthMethod = secondFactor ? "password+totp" : "password";
  await inTransaction(async (tx) => {
    await clearAccountFailures(tx, email);
    await appendAuditEvent(tx, {
      actor,
      action: "auth.signed_in",
      entityType: "session",
      clientAddress: address,
      ...(breakGlass
        ? { after: { method, breakGlass: true }, reason: "break-glass password sign-in while SSO is required" }
        : secondFactor
          ? { after: { method } }
          : {}),
    });
    if (breakGlass) await notifyBreakGlass?.(tx, { id: user.id, email }, address);
  });
  return { ok: true, userId: user.id, sessionVersion: user.sessionVersion, method };
}
