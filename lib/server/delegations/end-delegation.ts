import "server-only";
import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { recordDenial } from "../audit/record-denial";
import { refuseWhenBusy } from "../db/database-busy";
import { inTransaction } from "../db/transaction";

const schema = z.object({ id: z.uuid("Unknown delegation.") });

/** Ends a delegation now: by its delegator, its delegate (who may decline it) or an admin. An audit event. */
export async function endDelegation(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("Unknown delegation.");
  return refuseWhenBusy(() =>
    inTransaction(async (tx) => {
      const [d] = await tx.$queryRaw<{ id: string; delegator_id: string; delegate_id: string; ends_at: Date; ended_at: Date | null }[]>`
        SELECT id, delegator_id, delegate_id, ends_at, ended_at FROM delegations WHERE id = ${parsed.data.id}::uuid FOR UPDATE`;
      if (!d) return refuse("Unknown delegation.");
      const mayEnd = d.delegator_id === actor.id || d.delegate_id === actor.id || can(actor.roles, "users.manage");
      if (!mayEnd) {
        await recordDenial(actor, "delegation.end", "Only the delegator, the delegate or an admin ends a delegation.");
        return refuse("Only the delegator, the delegate or an admin ends a delegation.");
      }
      if (d.ended_at || d.ends_at.getTime() <= now.getTime()) return refuse("That delegation has already ended.");
      await tx.delegation.update({ where: { id: d.id }, data: { endedAt: now, endedById: actor.id } });
      await appendAuditEvent(tx, {
        actor,
        action: "delegation.ended",
        entityType: "delegation",
        entityId: d.id,
        before: { endsAt: d.ends_at.toISOString() },
        after: { endedAt: now.toISOString(), delegatorId: d.delegator_id, delegateId: d.delegate_id },
      });
      return ok({ message: "The delegation has ended." });
    }),
  );
}
