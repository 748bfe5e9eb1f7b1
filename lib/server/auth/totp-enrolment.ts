import "server-only";
import { generateSecret, generateURI } from "otplib";
import QRCode from "qrcode";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import { inTransaction, type Tx } from "../db/transaction";
import { db } from "../db/db";
import type { Actor } from "./current-actor";
import { checkCodeOfSignedInUser, nowSeconds, totpStep } from "./second-factor";
import { decryptTotpSecret, encryptTotpSecret, newRecoveryCode, recoveryCodeHash } from "./totp-crypto";

// A user's own authenticator app: set up (a secret shown as a QR code and as text, confirmed by
// a first code), recovery codes (shown once, kept hashed), turned off or codes renewed with a code.

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = "Change portal";
const SIGNED_OUT = "Your session has ended. Sign in again.";

export type SecondFactorStatus =
  | { state: "none" }
  | { state: "pending"; secret: string; qrDataUrl: string }
  | { state: "enrolled"; since: Date; recoveryCodesLeft: number };

/** What the security page shows the signed-in user about their own second factor. */
export async function secondFactorStatus(actor: Actor): Promise<SecondFactorStatus> {
  const totp = await db().userTotp.findUnique({ where: { userId: actor.id } });
  if (totp?.confirmedAt) {
    const recoveryCodesLeft = await db().userRecoveryCode.count({ where: { userId: actor.id, usedAt: null } });
    return { state: "enrolled", since: totp.confirmedAt, recoveryCodesLeft };
  }
  const secret = totp ? decryptTotpSecret(totp.secretCiphertext) : null;
  if (!secret) return { state: "none" };
  const uri = generateURI({ issuer: ISSUER, label: actor.email, secret });
  return { state: "pending", secret, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** Starts (or restarts) a setup: a new secret, not yet in force until a first code confirms it. */
export async function startTotpEnrolment(actor: Actor | null): Promise<Result<{ message: string }>> {
  if (!actor) return refuse(SIGNED_OUT);
  if (await isEnrolled(actor.id)) return refuse("An authenticator app is already set up. Turn it off first to set up another.");
  const secretCiphertext = encryptTotpSecret(generateSecret());
  await db().userTotp.upsert({
    where: { userId: actor.id },
    create: { userId: actor.id, secretCiphertext },
    update: { secretCiphertext, lastTimeStep: null, createdAt: new Date() },
  });
  return ok({ message: "Scan the QR code with your authenticator app, then enter the code it shows." });
}

/** The first code confirms the setup; the recovery codes are returned to be shown once. */
export async function confirmTotpEnrolment(
  actor: Actor | null,
  input: { code?: unknown },
  now = nowSeconds(),
): Promise<Result<{ message: string; recoveryCodes: string[] }>> {
  if (!actor) return refuse(SIGNED_OUT);
  const code = typeof input.code === "string" ? input.code : "";
  const pending = await db().userTotp.findUnique({ where: { userId: actor.id } });
  if (!pending || pending.confirmedAt) return refuse("There is no setup to confirm: start again.");
  const secret = decryptTotpSecret(pending.secretCiphertext);
  const step = secret ? await totpStep(secret, code, now) : null;
  if (step === null)
    return refuse("That code is not right. Enter the 6 digits your authenticator app shows now.", { code: "Not the current code." });
  return inTransaction(async (tx) => {
    const confirmed = await tx.userTotp.updateMany({
      where: { userId: actor.id, confirmedAt: null, secretCiphertext: pending.secretCiphertext },
      data: { confirmedAt: new Date(), lastTimeStep: BigInt(step) },
    });
    if (confirmed.count !== 1) return refuse("The setup changed meanwhile: start again.");
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    await appendAuditEvent(tx, { actor, action: "auth.totp_enrolled", entityType: "user", entityId: actor.id });
    return ok({ message: "Your authenticator app is set up. Keep the recovery codes below somewhere safe.", recoveryCodes });
  });
}

/** Turns the second factor off; a current code (or a recovery code) is needed. */
export async function disableTotp(
  actor: Actor | null,
  input: { code?: unknown },
  now = nowSeconds(),
): Promise<Result<{ message: string }>> {
  if (!actor) return refuse(SIGNED_OUT);
  if (!(await isEnrolled(actor.id))) return refuse("No authenticator app is set up.");
  const checked = await checkCodeOfSignedInUser(
    actor,
    typeof input.code === "string" ? input.code : "",
    "turning the second factor off",
    now,
  );
  if (!checked.ok) return refuse(checked.message, { code: "Not a valid code." });
  await inTransaction(async (tx) => {
    await tx.userTotp.deleteMany({ where: { userId: actor.id } });
    await tx.userRecoveryCode.deleteMany({ where: { userId: actor.id } });
    await appendAuditEvent(tx, { actor, action: "auth.totp_disabled", entityType: "user", entityId: actor.id });
  });
  return ok({ message: "Your authenticator app is turned off, and its recovery codes no longer work." });
}

/** New recovery codes, the old ones void; a current code is needed. */
export async function regenerateRecoveryCodes(
  actor: Actor | null,
  input: { code?: unknown },
  now = nowSeconds(),
): Promise<Result<{ message: string; recoveryCodes: string[] }>> {
  if (!actor) return refuse(SIGNED_OUT);
  if (!(await isEnrolled(actor.id))) return refuse("No authenticator app is set up.");
  const checked = await checkCodeOfSignedInUser(actor, typeof input.code === "string" ? input.code : "", "new recovery codes", now);
  if (!checked.ok) return refuse(checked.message, { code: "Not a valid code." });
  return inTransaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    await appendAuditEvent(tx, { actor, action: "auth.recovery_codes_regenerated", entityType: "user", entityId: actor.id });
    return ok({ message: "New recovery codes: the old ones no longer work. Keep these somewhere safe.", recoveryCodes });
  });
}

async function isEnrolled(userId: string): Promise<boolean> {
  const row = await db().userTotp.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return Boolean(row?.confirmedAt);
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.userRecoveryCode.deleteMany({ where: { userId } });
  await tx.userRecoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(code) })) });
  return codes;
}
