import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { CHANGE_ACTION_LABELS, type ChangeAction } from "@/lib/domain/change-actions";
import { CHANGE_STATE_LABELS } from "@/lib/domain/change-states";
import { decide } from "@/lib/domain/decide";
import { refuse, type Result } from "@/lib/domain/result";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { Actor } from "../auth/current-actor";
import { notifyTransition } from "../notifications/notify";
import { moveApprovalRoundClock } from "./approval-round-clock";
import { applyActionEffects } from "./apply-action-effects";
import { changeActionSchema, TOO_LONG } from "./change-action-request";
import { assessChangeRisk, riskColumns } from "./assess-risk";
import { runChangeStep, type StepDone } from "./run-change-step";

/**
 * Every lifecycle transition goes through here, on the change runner (runChangeStep): lock the
 * change, refuse a stale version, ask the domain core, apply the transition's effects and write
 * its one audit event, all in one transaction. A refusal is recorded too, with the reasons shown.
 */
export async function performChangeAction(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(changeActionSchema, input);
  if (!parsed.success) {
    // A text too long is the user's to shorten, on its field; anything else is a stale or forged form.
    const tooLong = parsed.error.issues.find((issue) => issue.message === TOO_LONG);
    if (tooLong) return refuse(TOO_LONG, { [String(tooLong.path.at(-1))]: TOO_LONG });
    return refuse("That request was not understood; reload the page and try again.");
  }
  const request = parsed.data;
  return runChangeStep(actor, {
    changeId: request.changeId,
    version: request.version,
    now,
    attempted: request.action,
    gather: async (tx, facts) => {
      // Submission and assessment score the risk afresh; the guards and the approval policy read it.
      const assessment =
        request.action === "submit" || request.action === "start_assessment" ? await assessChangeRisk(tx, facts.id, now) : null;
      const withInput: ChangeFacts = {
        ...facts,
        risk: assessment ? { score: assessment.score, level: assessment.level, summary: assessment.summary } : facts.risk,
        review:
          request.action === "close" && request.review
            ? { ...request.review, securityValidation: request.review.securityValidation || null }
            : facts.review,
        rootCause: request.action === "close" ? request.rootCause || facts.rootCause : facts.rootCause,
      };
      return { assessment, withInput };
    },
    decide: (_facts, { withInput }) =>
      decide(withInput, request.action, { id: actor.id, roles: actor.roles }, { now, reason: request.reason, outcome: request.outcome }),
    write: async (tx, facts, decision, { assessment, withInput }) => {
      await tx.changeRequest.update({
        where: { id: facts.id },
        data: { state: decision.to, ...(assessment ? riskColumns(assessment, now) : {}) },
      });
      await applyActionEffects(tx, request.action, { ...withInput, state: decision.to }, request, { actorId: actor.id, now });
      await notifyTransition(tx, request.action, withInput, decision.to);
      await moveApprovalRoundClock(tx, facts.id, facts.state, decision.to, now);
    },
    recorded: ({ audit }, { assessment }) => ({
      before: { state: audit.from },
      after: { state: audit.to, ...audit.details, ...(assessment ? { riskScore: assessment.score, riskLevel: assessment.level } : {}) },
    }),
    message: (decision) =>
      `${CHANGE_ACTION_LABELS[request.action as ChangeAction]}: done. The change is now ${CHANGE_STATE_LABELS[decision.to].toLowerCase()}.`,
  });
}
