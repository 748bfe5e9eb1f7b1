import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideVote } from "@/lib/domain/decide-vote";
import { refuse, type Result } from "@/lib/domain/result";
import { APPROVER_ROLES, VOTE_DECISIONS } from "@/lib/domain/vote";
import type { Actor } from "../auth/current-actor";
import { runChangeStep, type StepDone } from "./run-change-step";

export const voteInputSchema = z.object({
  changeId: z.string().uuid("Unknown change."),
  role: z.enum(APPROVER_ROLES, { message: "Choose the role you vote in." }),
  decision: z.enum(VOTE_DECISIONS, { message: "Choose approve, reject or abstain." }),
  comment: z.string().trim().max(5_000, "Use at most 5,000 characters.").default(""),
  // The pages leave it out (a stale view cannot mislead a vote); an API client's If-Match sends it.
  version: z.coerce.number().int().positive().optional(),
});

const SAID = {
  approve: "Your approval is recorded.",
  reject: "Your rejection is recorded.",
  abstain: "Your abstention is recorded.",
} as const;

/** One vote per person per round: the domain refuses a second one and the unique constraint backs it. */
export async function castVote(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(voteInputSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That vote was not understood.");
  const { changeId, role, decision, comment, version } = parsed.data;
  return runChangeStep(actor, {
    changeId,
    version,
    decide: (facts) => decideVote(facts, actor, { role, decision, comment }),
    write: async (tx, facts) => {
      // decideVote only allows a vote in authorization, which always has an open round.
      if (!facts.currentRoundId) throw new Error(`Change ${facts.id} has no approval round ${facts.approvalRound}.`);
      await tx.vote.create({
        data: { roundId: facts.currentRoundId, changeId: facts.id, voterId: actor.id, role, decision, comment },
        select: { id: true },
      });
    },
    message: SAID[decision],
  });
}
