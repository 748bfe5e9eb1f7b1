import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideVote, type Principal } from "@/lib/domain/decide-vote";
import { refuse, type Result } from "@/lib/domain/result";
import { APPROVER_ROLES, VOTE_DECISIONS } from "@/lib/domain/vote";
import type { Actor } from "../auth/current-actor";
import { loadPrincipal } from "../delegations/load-principal";
import { runChangeStep, type StepDone } from "./run-change-step";

export const voteInputSchema = z.object({
  changeId: z.string().uuid("Unknown change."),
  role: z.enum(APPROVER_ROLES, { message: "Choose the role you vote in." }),
  decision: z.enum(VOTE_DECISIONS, { message: "Choose approve, reject or abstain." }),
  comment: z.string().trim().max(5_000, "Use at most 5,000 characters.").default(""),
  // A delegate's vote: whose it is (the delegator's user id).
  onBehalfOf: z.uuid("Unknown delegator.").optional(),
  // The pages leave it out (a stale view cannot mislead a vote); an API client's If-Match sends it.
  version: z.coerce.number().int().positive().optional(),
});

// The pages' vote: the API's body (voteInputSchema), a form's empty choice meaning "my own vote".
const pageVoteSchema = voteInputSchema.extend({
  onBehalfOf: z.union([z.literal(""), z.uuid("Unknown delegator.")]).optional(),
});

const SAID = {
  approve: "Your approval is recorded.",
  reject: "Your rejection is recorded.",
  abstain: "Your abstention is recorded.",
} as const;

/**
 * One vote per person per round: the domain refuses a second one and the unique constraint backs it.
 * A delegate's vote names its delegator (`onBehalfOf`), is checked against both, and counts as theirs.
 */
export async function castVote(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(pageVoteSchema, input);
  if (!parsed.success) return refuse(parsed.error.issues[0]?.message ?? "That vote was not understood.");
  const { changeId, role, decision, comment, version } = parsed.data;
  const onBehalfOf = parsed.data.onBehalfOf || null;
  return runChangeStep<Principal | undefined>(actor, {
    changeId,
    version,
    gather: async (tx) => (onBehalfOf ? loadPrincipal(tx, actor.id, onBehalfOf) : undefined),
    decide: (facts, principal) =>
      onBehalfOf && !principal
        ? { allowed: false, reasons: ["You are not that person's delegate."] }
        : decideVote(facts, actor, { role, decision, comment }, principal),
    attempted: onBehalfOf ? () => ({ attempted: "vote", onBehalfOf }) : "vote",
    write: async (tx, facts) => {
      // decideVote only allows a vote in authorization, which always has an open round.
      if (!facts.currentRoundId) throw new Error(`Change ${facts.id} has no approval round ${facts.approvalRound}.`);
      await tx.vote.create({
        data: { roundId: facts.currentRoundId, changeId: facts.id, voterId: actor.id, role, decision, comment, onBehalfOfId: onBehalfOf },
        select: { id: true },
      });
    },
    message: (_d, principal) =>
      principal ? `${SAID[decision].replace("Your", `${principal.name}'s`)} You voted on their behalf.` : SAID[decision],
  });
}
