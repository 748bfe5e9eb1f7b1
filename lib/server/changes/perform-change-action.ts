import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { CHANGE_ACTION_LABELS, type ChangeAction } from "@/lib/domain/change-actions";
import { CHANGE_STATE_LABELS } from "@/lib/domain/change-states";
import { decide } from "@/lib/domain/decide";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../http/request-address";
import { refuseWhenBusy } from "../db/database-busy";
import { inTransaction } from "../db/transaction";
import { notifyTransition } from "../notifications/notify";
import { applyActionEffects } from "./apply-action-effects";
import { changeActionSchema, TOO_LONG } from "./change-action-request";
import { assessChangeRisk, riskColumns } from "./assess-risk";
import { STALE_CHANGE } from "./stale-change";
import { lockChangeFacts } from "./load-change-facts";

/**
 * Every lifecycle transition goes through here: lock the change, refuse a stale version, ask
 * the domain core, apply the transition's effects and write its one audit event, all in one
 * transaction. A refusal is recorded too, with the reasons shown to the user.
 */
export async function performChangeAction(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(changeActionSchema, input);
  if (!parsed.success) {
    // A text too long is the user's to shorten, on its field; anything else is a stale or forged form.
    const tooLong = parsed.error.issues.find((issue) => issue.message === TOO_LONG);
    if (tooLong) return refuse(TOO_LONG, { [String(tooLong.path.at(-1))]: TOO_LONG });
    return refuse("That request was not understood; reload the page and try again.");
  }
  const request = parsed.data;
  const clientAddress = await requestAddress();

  return refuseWhenBusy(() =>
    inTransaction(async (tx) => {
      const locked = await lockChangeFacts(tx, request.changeId);
      if (!locked) return refuse("That change no longer exists.");
      if (request.version !== undefined && request.version !== locked.version) return refuse(STALE_CHANGE);
      const { version, ...facts } = locked;

      // Submission and assessment score the risk afresh; the guards and the approval policy read it.
      const assessment =
        request.action === "submit" || request.action === "start_assessment" ? await assessChangeRisk(tx, facts.id, now) : null;
      const withInput = {
        ...facts,
        risk: assessment ? { score: assessment.score, level: assessment.level, summary: assessment.summary } : facts.risk,
        review:
          request.action === "close" && request.review
            ? { ...request.review, securityValidation: request.review.securityValidation || null }
            : facts.review,
        rootCause: request.action === "close" ? request.rootCause || facts.rootCause : facts.rootCause,
      };
      const decision = decide(
        withInput,
        request.action,
        { id: actor.id, roles: actor.roles },
        { now, reason: request.reason, outcome: request.outcome },
      );
      const audit = { actor, entityType: "change", entityId: facts.id, changeId: facts.id, clientAddress };
      if (!decision.allowed) {
        const message = decision.reasons.join(" ");
        await appendAuditEvent(tx, {
          ...audit,
          action: "change.action_refused",
          before: { state: facts.state },
          after: { attempted: request.action },
          reason: message,
        });
        return refuse(message);
      }
      await tx.changeRequest.updateMany({
        where: { id: facts.id, version },
        data: { state: decision.to, version: { increment: 1 }, updatedAt: now, ...(assessment ? riskColumns(assessment, now) : {}) },
      });
      await applyActionEffects(tx, request.action, { ...withInput, state: decision.to }, request, { actorId: actor.id, now });
      await notifyTransition(tx, request.action, withInput, decision.to);
      await appendAuditEvent(tx, {
        ...audit,
        action: decision.audit.action,
        before: { state: decision.audit.from },
        after: {
          state: decision.audit.to,
          ...decision.audit.details,
          ...(assessment ? { riskScore: assessment.score, riskLevel: assessment.level } : {}),
        },
        reason: decision.audit.reason,
      });
      return ok({
        message: `${CHANGE_ACTION_LABELS[request.action as ChangeAction]}: done. The change is now ${CHANGE_STATE_LABELS[decision.to].toLowerCase()}.`,
      });
    }),
  );
}
