import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { passwordSchema } from "@/lib/domain/user-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { hashPassword, verifyPassword } from "../auth/password";
import { endUserSessions } from "../auth/user-session-rows";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { refuseUnlessAdmin } from "./admin-guard";

const resetSchema = z.object({ userId: z.string().uuid("Unknown user."), temporaryPassword: passwordSchema });

/** An admin sets a temporary password; the user must replace it at their next sign-in. */
export async function resetPassword(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.password");
  if (refused) return refused;
  const parsed = safeParseInput(resetSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { userId, temporaryPassword } = parsed.data;
  const passwordHash = await hashPassword(temporaryPassword);
  return inTransaction(async (tx) => {
    const updated = await tx.user.updateMany({
      // A service account never gets a password anyone knows: it cannot sign in.
      where: { id: userId, kind: "user" },
      data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 }, updatedAt: new Date() },
    });
    if (updated.count === 0) return refuse("That user no longer exists.");
    await endUserSessions(tx, userId, { reason: "password_reset", endedById: actor!.id });
    await appendAuditEvent(tx, { actor, action: "user.password_reset", entityType: "user", entityId: userId });
    return ok({
      message: "Temporary password set. The user's sessions have ended; they must choose a new password at their next sign-in.",
    });
  });
}

const changeSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: passwordSchema, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords differ." })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });

/** A signed-in user replaces their own password (required after a temporary one); every session of theirs ends, `sessionVersion` is the new one. */
export async function changeOwnPassword(actor: Actor | null, input: unknown): Promise<Result<{ message: string; sessionVersion: number }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(changeSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    return refuse("Check the highlighted fields.", { currentPassword: "That is not your current password." });
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const { sessionVersion } = await inTransaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: actor.id },
      data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 }, updatedAt: new Date() },
      select: { sessionVersion: true },
    });
    await endUserSessions(tx, actor.id, { reason: "password_changed", endedById: actor.id }, { except: actor.sessionId });
    await appendAuditEvent(tx, { actor, action: "user.password_changed", entityType: "user", entityId: actor.id });
    return updated;
  });
  return ok({ message: "Your password was changed. Your other sessions are signed out.", sessionVersion });
}
