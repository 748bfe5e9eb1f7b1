import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { refuse, type Result } from "@/lib/domain/result";
import { loadActor, type Actor } from "../auth/current-actor";
import { runChangeStep, type StepDone } from "./run-change-step";

export const assignImplementerInputSchema = z.object({
  changeId: z.string().uuid("Unknown change."),
  implementerId: z.string().uuid("Choose an implementer."),
  version: z.coerce.number().int().positive().optional(),
});

/** The change manager names who carries the change out. */
export async function assignImplementer(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(assignImplementerInputSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That request was not understood.");
  const { changeId, implementerId, version } = parsed.data;
  const candidate = await loadActor(implementerId);
  if (!candidate) return refuse("That person cannot be assigned: the account does not exist or is deactivated.");
  return runChangeStep(actor, {
    changeId,
    version,
    attempted: "assign_implementer",
    gather: (tx) => tx.freezeException.findUnique({ where: { changeId }, select: { managerApproverId: true, securityApproverId: true } }),
    decide: (facts, exception) => decideAssignImplementer(facts, { id: actor.id, roles: actor.roles }, candidate, exception),
    write: (tx) => tx.changeRequest.update({ where: { id: changeId }, data: { implementerId } }).then(() => undefined),
    message: `${candidate.name} will implement this change.`,
  });
}
