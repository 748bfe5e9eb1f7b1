import "server-only";
import type { ChangeState } from "@/lib/domain/change-states";
import type { Tx } from "../db/transaction";

/** The notifications that ask for a vote on a round (or chase one): withdrawn once the round closes. */
export const ROUND_NOTIFICATION_KINDS = ["vote_awaited", "vote_reminder", "approval_escalated"] as const;

/**
 * A transition into authorization starts the round's reminder clock; one out of it (approved,
 * rejected, returned, cancelled, withdrawn, or an emergency going ahead) closes the round, so
 * the notifications asking for its votes are withdrawn: kept, marked, no longer needing action.
 */
export async function moveApprovalRoundClock(tx: Tx, changeId: string, from: ChangeState, to: ChangeState, now: Date): Promise<void> {
  if (to === "authorization" && from !== "authorization") {
    await tx.$executeRaw`
      UPDATE approval_rounds r SET votes_requested_at = ${now}
      FROM change_requests c WHERE c.id = ${changeId}::uuid AND r.change_id = c.id AND r.number = c.approval_round`;
  }
  if (from === "authorization" && to !== "authorization") {
    await tx.notification.updateMany({
      where: { changeId, kind: { in: [...ROUND_NOTIFICATION_KINDS] }, withdrawnAt: null },
      data: { withdrawnAt: now },
    });
  }
}
