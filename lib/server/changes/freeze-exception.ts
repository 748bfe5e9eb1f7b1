import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideApproveFreezeException, decideRequestFreezeException, EXCEPTION_APPROVER_ROLES } from "@/lib/domain/decide-freeze-exception";
import { refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { runChangeStep, type Allowed, type StepDone } from "./run-change-step";
import { notifyFreezeException } from "../notifications/notify";

export const freezeExceptionRequestSchema = z.object({
  changeId: z.uuid("Unknown change."),
  reason: z.string().trim().max(2_000, "Use at most 2,000 characters.").default(""),
  // The pages leave it out; an API client's If-Match sends it.
  version: z.coerce.number().int().positive().optional(),
});
export const freezeExceptionApprovalSchema = z.object({
  changeId: z.uuid("Unknown change."),
  role: z.enum(EXCEPTION_APPROVER_ROLES, { message: "Choose the role you approve in." }),
  version: z.coerce.number().int().positive().optional(),
});

/**
 * Asks for permission to work inside a freeze, for the change's current planned window. Asking
 * again for a new window replaces the earlier request and its approvals.
 */
export async function requestFreezeException(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(freezeExceptionRequestSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That request was not understood.");
  const { changeId, reason, version } = parsed.data;
  return runChangeStep(actor, {
    changeId,
    version,
    gather: (tx) => tx.freezeException.findUnique({ where: { changeId } }),
    decide: (facts, exception) => decideRequestFreezeException(facts, actor, reason, exception),
    write: async (tx, facts) => {
      const row = {
        requestedById: actor.id,
        reason,
        windowStart: facts.plannedStart!,
        windowEnd: facts.plannedEnd!,
        requestedAt: new Date(),
        managerApproverId: null,
        managerApprovedAt: null,
        securityApproverId: null,
        securityApprovedAt: null,
      };
      await tx.freezeException.upsert({ where: { changeId }, create: { changeId, ...row }, update: row });
      await notifyFreezeException(tx, facts, "requested");
    },
    message: "Freeze exception requested. A change manager and a security reviewer must both approve it.",
  });
}

/** One of the two approvals; the change row lock makes two approvers acting at once take turns. */
export async function approveFreezeException(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(freezeExceptionApprovalSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That request was not understood.");
  const { changeId, role, version } = parsed.data;
  return runChangeStep(actor, {
    changeId,
    version,
    gather: (tx) => tx.freezeException.findUnique({ where: { changeId } }),
    decide: (facts, exception) => decideApproveFreezeException(facts, actor, role, exception),
    write: async (tx, facts, decision) => {
      const now = new Date();
      await tx.freezeException.update({
        where: { changeId },
        data:
          role === "change_manager"
            ? { managerApproverId: actor.id, managerApprovedAt: now }
            : { securityApproverId: actor.id, securityApprovedAt: now },
      });
      if (granted(decision)) await notifyFreezeException(tx, facts, "granted");
    },
    message: (decision) =>
      granted(decision)
        ? "Approved: the freeze exception is granted for this window."
        : "Approved. The exception still needs the other approval.",
  });
}

// The approval that completes the pair grants the exception (decideApproveFreezeException says which).
const granted = (decision: Allowed) => decision.audit.details.granted === true;
