import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { canViewChange } from "@/lib/domain/change-visibility";
import { fieldErrorsOf, ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import type { StepDone } from "./run-change-step";
import { STALE_CHANGE } from "./stale-change";

export const commentInputSchema = z.object({
  changeId: z.string().uuid("Unknown change."),
  body: z.string().trim().min(1, "Write a comment first.").max(10_000, "Use at most 10,000 characters."),
  // An API client's If-Match: a comment does not bump the version, but may be meant for the one read.
  version: z.coerce.number().int().positive().optional(),
});

/** Questions and answers on a change, by anyone who may see it; comments never change the change. */
export async function addComment(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(commentInputSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { changeId, body, version } = parsed.data;
  return inTransaction(async (tx) => {
    const change = await tx.changeRequest.findUnique({
      where: { id: changeId },
      select: { requesterId: true, implementerId: true, version: true },
    });
    if (!change) return refuse("That change no longer exists.");
    if (!canViewChange(actor, change)) {
      const message = "You cannot see this change, so you cannot comment on it.";
      // In this transaction, so the refusal is recorded with the same audit head as everything else.
      await appendAuditEvent(tx, {
        actor,
        action: "authorization.denied",
        entityType: "access",
        entityId: `change.comment:${changeId}`,
        reason: message,
      });
      return refuse(message);
    }
    if (version !== undefined && version !== change.version) return refuseAs("stale", STALE_CHANGE);
    const comment = await tx.comment.create({ data: { changeId, authorId: actor.id, body }, select: { id: true } });
    const event = await appendAuditEvent(tx, {
      actor,
      action: "change.commented",
      entityType: "comment",
      entityId: comment.id,
      changeId,
      after: { body },
    });
    return ok({ message: "Comment added.", version: change.version, eventSeq: event.seq });
  });
}
