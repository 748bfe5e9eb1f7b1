import "server-only";
import type { ChangeAction } from "@/lib/domain/change-actions";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { Tx } from "../db/transaction";
import type { ChangeActionRequest } from "./change-action-request";
import { syncChecklist } from "./sync-checklist";

/** What a transition changes besides the state: rounds, timestamps, outcome, review. */
export async function applyActionEffects(
  tx: Tx,
  action: ChangeAction,
  facts: ChangeFacts,
  request: ChangeActionRequest,
  by: { actorId: string; now: Date },
): Promise<void> {
  const { now } = by;
  const id = facts.id;
  const closeRound = () =>
    tx.approvalRound.updateMany({ where: { changeId: id, number: facts.approvalRound, closedAt: null }, data: { closedAt: now } });
  switch (action) {
    case "submit":
      if (facts.type === "standard") {
        await tx.changeRequest.update({ where: { id }, data: { submittedAt: now, authorizedAt: now } });
      } else {
        // Each submission opens a new approval round; votes of an earlier round do not carry over.
        const round = facts.approvalRound + 1;
        await tx.changeRequest.update({ where: { id }, data: { submittedAt: now, approvalRound: round } });
        await tx.approvalRound.create({ data: { changeId: id, number: round, openedAt: now } });
      }
      await syncChecklist(tx, facts);
      return;
    case "start_assessment":
      await syncChecklist(tx, facts);
      return;
    case "schedule":
      await tx.changeRequest.update({ where: { id }, data: { authorizedAt: now } });
      await closeRound();
      return;
    case "start_implementation":
      if (facts.type === "emergency") await tx.changeRequest.update({ where: { id }, data: { authorizedAt: now } });
      await tx.changeRequest.update({ where: { id }, data: { implementationStartedAt: now } });
      await closeRound();
      return;
    case "record_outcome":
      await tx.changeRequest.update({
        where: { id },
        data: { outcome: request.outcome, outcomeNotes: request.outcomeNotes || null, implementedAt: now },
      });
      return;
    case "close": {
      const review = request.review!;
      const data = { ...review, securityValidation: review.securityValidation || null, notes: review.notes ?? "", reviewedAt: now };
      await tx.postImplementationReview.upsert({
        where: { changeId: id },
        create: { changeId: id, reviewedById: by.actorId, ...data },
        update: { reviewedById: by.actorId, ...data },
      });
      await tx.changeRequest.update({ where: { id }, data: { rootCause: request.rootCause || null, closedAt: now } });
      return;
    }
    case "return_for_rework":
      await tx.changeRequest.update({ where: { id }, data: { reworkCount: { increment: 1 } } });
      await closeRound();
      return;
    case "reject":
    case "cancel":
    case "withdraw":
      await closeRound();
      return;
    case "request_authorization":
      return;
  }
}
