import "server-only";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { endUserSessions } from "../auth/user-session-rows";
import { inTransaction } from "../db/transaction";

/** "Sign out everywhere": every session of the actor, this one included, ends at its next request. */
export async function endAllSessions(actor: Actor | null): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  return inTransaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: actor.id },
      data: { sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    const sessions = await endUserSessions(tx, actor.id, { reason: "signed_out_everywhere", endedById: actor.id });
    await appendAuditEvent(tx, {
      actor,
      action: "auth.signed_out_everywhere",
      entityType: "session",
      entityId: actor.id,
      after: { sessionVersion: updated.sessionVersion, sessions },
    });
    return ok({ message: "Every session of yours has ended." });
  });
}
