import "server-only";
import { verify } from "otplib";
import { UNKNOWN_ADDRESS } from "@/lib/domain/client-address";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";
import type { RequestMetadata } from "../http/request-metadata";
import { lockedForMinutes, recordFailure, throttleKeys } from "./login-throttle";
import { decryptTotpSecret, recoveryCodeHash } from "./totp-crypto";

// Checking a second-factor code: a TOTP code of the user's authenticator app, used once (a code
// of the step last accepted, or of an earlier one, is refused), or an unused recovery code.

/** The 30-second steps a code may be off by either way (clock drift between phone and server). */
const DRIFT_SECONDS = 30;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The time step a TOTP code is valid for, or null; `after` refuses that step and earlier ones. */
export async function totpStep(secret: string, code: string, now: number, after?: number | null): Promise<number | null> {
  const token = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({ secret, token, epoch: now, epochTolerance: DRIFT_SECONDS });
    if (!result.valid || !("timeStep" in result)) return null;
    return after != null && result.timeStep <= after ? null : result.timeStep;
  } catch {
    return null;
  }
}

/** Whether the user has a confirmed authenticator app. */
export async function hasTotp(userId: string, tx?: Tx): Promise<boolean> {
  const row = await (tx ?? db()).userTotp.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(row?.confirmedAt);
}

export type CodeCheck = { ok: true; kind: "totp" | "recovery" } | { ok: false };

/**
 * Uses a code of the user's confirmed second factor, inside the caller's transaction. The
 * updates are conditional, so two requests with the same code cannot both succeed.
 */
export async function useSecondFactorCode(tx: Tx, userId: string, code: string, now: number): Promise<CodeCheck> {
  const totp = await tx.userTotp.findUnique({ where: { userId } });
  if (!totp?.confirmedAt) return { ok: false };
  const secret = decryptTotpSecret(totp.secretCiphertext);
  const last = totp.lastTimeStep === null ? null : Number(totp.lastTimeStep);
  const step = secret ? await totpStep(secret, code, now, last) : null;
  if (step !== null) {
    const used = await tx.$executeRaw`
      UPDATE user_totp SET last_time_step = ${step}
      WHERE user_id = ${userId}::uuid AND (last_time_step IS NULL OR last_time_step < ${step})`;
    return used === 1 ? { ok: true, kind: "totp" } : { ok: false };
  }
  if (code.trim().length < 10 || code.length > 40) return { ok: false };
  const used = await tx.$executeRaw`
    UPDATE user_recovery_codes SET used_at = now()
    WHERE user_id = ${userId}::uuid AND code_hash = ${recoveryCodeHash(code)} AND used_at IS NULL`;
  if (used !== 1) return { ok: false };
  await appendAuditEvent(tx, { actor: await who(tx, userId), action: "auth.recovery_code_used", entityType: "user", entityId: userId });
  return { ok: true, kind: "recovery" };
}

async function who(tx: Tx, userId: string) {
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true } });
}

export const WRONG_CODE =
  "That code is not right, or was already used. Enter the current code from your authenticator app, or an unused recovery code.";

/**
 * A code typed by a signed-in user (step-up, turning the second factor off): a wrong one counts
 * toward the sign-in throttle and is audited; a locked account is refused before any check.
 */
export async function checkCodeOfSignedInUser(
  actor: { id: string; email: string; request?: RequestMetadata },
  code: string,
  purpose: string,
  now = nowSeconds(),
): Promise<{ ok: true; kind: "totp" | "recovery" } | { ok: false; message: string; lockedMinutes?: number }> {
  const keys = throttleKeys(actor.email, actor.request?.clientAddress ?? UNKNOWN_ADDRESS);
  const minutes = await lockedForMinutes(keys);
  if (minutes > 0)
    return {
      ok: false,
      message: `Too many wrong codes. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      lockedMinutes: minutes,
    };
  const used = await inTransaction((tx) => useSecondFactorCode(tx, actor.id, code, now));
  if (used.ok) return used;
  await inTransaction(async (tx) => {
    await recordFailure(tx, keys);
    await appendAuditEvent(tx, { actor, action: "auth.second_factor_failed", entityType: "user", entityId: actor.id, reason: purpose });
  });
  return { ok: false, message: WRONG_CODE };
}
