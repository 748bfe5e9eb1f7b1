import "server-only";
import { z } from "zod";
import { DELEGABLE_ROLES, delegationRefusals, NOT_DELEGATOR } from "@/lib/domain/delegation";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import type { Role } from "@/lib/domain/roles";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "../auth/current-actor";
import { refuseWhenBusy } from "../db/database-busy";
import { inTransaction } from "../db/transaction";

// A minute with no zone is UTC, like every time the portal shows; the page's picker sends an ISO instant.
const instant = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?Z)?$/, `Give the ${label} as a date and time.`)
    .transform((v) => new Date(v.length === 16 ? `${v}:00Z` : v))
    .refine((d) => !Number.isNaN(d.getTime()), `Give the ${label} as a date and time.`);

export const delegationSchema = z.object({
  delegateId: z.uuid("Choose your delegate."),
  startsAt: instant("start"),
  endsAt: instant("end"),
  reason: z.string().trim().max(500, "Use at most 500 characters.").default(""),
});

/** A CAB member or security reviewer names a delegate for a period (an audit event); each vote is still checked per change. */
export async function createDelegation(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  if (!actor.roles.some((r) => (DELEGABLE_ROLES as readonly Role[]).includes(r))) {
    await recordDenial(actor, "delegation.create", NOT_DELEGATOR);
    return refuse(NOT_DELEGATOR);
  }
  const parsed = safeParseInput(delegationSchema, input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(issue?.message ?? "That delegation was not understood.", issue ? { [String(issue.path[0])]: issue.message } : undefined);
  }
  const { delegateId, startsAt, endsAt, reason } = parsed.data;
  return refuseWhenBusy(() =>
    inTransaction(async (tx) => {
      // One delegation at a time per delegator: lock their row so two tabs cannot both add one.
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${actor.id}::uuid FOR UPDATE`;
      const delegate = await tx.user.findUnique({
        where: { id: delegateId },
        select: { id: true, name: true, kind: true, active: true, roles: { select: { role: true } } },
      });
      const overlaps =
        (await tx.delegation.count({
          where: { delegatorId: actor.id, endedAt: null, startsAt: { lt: endsAt }, endsAt: { gt: startsAt } },
        })) > 0;
      const reasons = delegationRefusals({
        delegator: { id: actor.id, roles: actor.roles, kind: actor.kind, active: true },
        delegate: delegate ? { ...delegate, roles: delegate.roles.map((r) => r.role as Role) } : null,
        startsAt,
        endsAt,
        now,
        overlaps,
      });
      if (reasons.length) {
        await appendAuditEvent(tx, {
          actor,
          action: "delegation.refused",
          entityType: "delegation",
          after: { delegateId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
          reason: reasons.join(" "),
        });
        return refuse(reasons.join(" "));
      }
      const created = await tx.delegation.create({
        data: { delegatorId: actor.id, delegateId, startsAt, endsAt, reason, createdById: actor.id },
        select: { id: true },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "delegation.created",
        entityType: "delegation",
        entityId: created.id,
        after: {
          delegatorId: actor.id,
          delegateId,
          delegateName: delegate!.name,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
        },
        reason: reason || null,
      });
      return ok({
        message: `${delegate!.name} votes for you from ${startsAt.toISOString().slice(0, 16).replace("T", " ")} to ${endsAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      });
    }),
  );
}
