import "server-only";
import { signInInputSchema } from "@/lib/domain/sign-in-input";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { decoyHash, verifyPassword } from "./password";
import { clearAccountFailures, lockedForMinutes, recordFailure, throttleKeys } from "./login-throttle";
import { recordSignInFailure } from "./sign-in-failures";

export const INVALID_CREDENTIALS = "The email address or password is incorrect.";

export type AuthenticationResult = { ok: true; userId: string; sessionVersion: number } | { ok: false; message: string };

/** Checks a sign-in attempt. Unknown, deactivated and wrong-password accounts get the same answer. */
export async function authenticate(input: unknown, address: string): Promise<AuthenticationResult> {
  const parsed = signInInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: INVALID_CREDENTIALS };
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, address);

  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, active: true, passwordHash: true, sessionVersion: true },
  });
  const actor = user ? { id: user.id, email } : null;
  const minutes = await lockedForMinutes(keys);
  if (minutes > 0) {
    await inTransaction((tx) => recordSignInFailure(tx, { actor, email, address, reason: "locked out" }));
    return { ok: false, message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
  }

  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !user.active || !matches) {
    const reason = !user ? "unknown account" : !user.active ? "deactivated account" : "wrong password";
    await inTransaction(async (tx) => {
      await recordFailure(tx, keys);
      await recordSignInFailure(tx, { actor, email, address, reason });
    });
    return { ok: false, message: INVALID_CREDENTIALS };
  }
  await inTransaction(async (tx) => {
    await clearAccountFailures(tx, email);
    await appendAuditEvent(tx, { actor, action: "auth.signed_in", entityType: "session", clientAddress: address });
  });
  return { ok: true, userId: user.id, sessionVersion: user.sessionVersion };
}
