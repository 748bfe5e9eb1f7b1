import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideReschedule } from "@/lib/domain/decide-reschedule";
import { refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { runChangeStep, type StepDone } from "./run-change-step";
import { loadConflicts } from "../schedule/load-schedule";

export const rescheduleInputSchema = z.object({
  changeId: z.uuid("Unknown change."),
  version: z.coerce.number().int().positive().optional(),
  plannedStart: z.iso.datetime({ message: "Enter the planned start." }).transform((s) => new Date(s)),
  plannedEnd: z.iso.datetime({ message: "Enter the planned end." }).transform((s) => new Date(s)),
});

/**
 * A change manager, not a party to the change, moves the planned window; the conflicts are
 * checked again for the new one. A refusal is audited (runChangeStep).
 */
export async function rescheduleChange(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(rescheduleInputSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That request was not understood.");
  const { changeId, version, plannedStart, plannedEnd } = parsed.data;
  const window = { start: plannedStart, end: plannedEnd };
  return runChangeStep(actor, {
    changeId,
    version,
    now,
    attempted: "reschedule",
    gather: async (tx, facts) => {
      const { number } = await tx.changeRequest.findUniqueOrThrow({ where: { id: facts.id }, select: { number: true } });
      const moved = {
        id: facts.id,
        number,
        title: facts.title,
        type: facts.type,
        window,
        ciIds: facts.affectedCiIds,
        implementerId: facts.implementerId,
      };
      return window.start < window.end ? ((await loadConflicts(tx, [moved])).get(facts.id) ?? []) : [];
    },
    decide: (facts, conflicts) => decideReschedule(facts, actor, window, now, conflicts),
    write: async (tx, facts) => {
      await tx.changeRequest.update({ where: { id: facts.id }, data: { plannedStart, plannedEnd } });
    },
    message: (_decision, conflicts) => {
      const warnings = conflicts.filter((c) => c.severity !== "info").length;
      return warnings
        ? `Rescheduled, with ${warnings} conflict${warnings === 1 ? "" : "s"} to look at below.`
        : "Rescheduled; no conflicts in the new window.";
    },
  });
}
