import "server-only";
import { z } from "zod";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { inTransaction } from "../db/transaction";
import { addDeliveryJobs, deliveryTask } from "../jobs/add-jobs";

const schema = z.object({ deliveryId: z.uuid("Unknown delivery.") });

/**
 * An admin sends a dead delivery (or one waiting for its next attempt) again now, with a fresh
 * count of attempts. One being sent or already sent is left alone: a retry never sends a mail twice.
 */
export async function retryDelivery(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "users.manage", "deliveries.retry", "Only an admin can retry deliveries.");
  if (refused) return refused;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That delivery was not understood.");
  return inTransaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; status: string; target: string; messageKey: string; channel: string }[]>`
      SELECT id, status::text AS status, channel::text AS channel, target, message_key AS "messageKey" FROM deliveries WHERE id = ${parsed.data.deliveryId}::uuid FOR UPDATE`;
    const delivery = rows[0];
    if (!delivery) return refuse("That delivery no longer exists.");
    if (delivery.status !== "dead" && delivery.status !== "retrying")
      return refuse(delivery.status === "sent" ? "That message was already delivered." : "That message is being delivered now.");
    await tx.delivery.update({ where: { id: delivery.id }, data: { status: "pending", attempts: 0, nextAttemptAt: null, deadAt: null } });
    await addDeliveryJobs(tx, deliveryTask(delivery.channel), [delivery.id]);
    await appendAuditEvent(tx, {
      actor,
      action: "delivery.retried",
      entityType: "delivery",
      entityId: delivery.id,
      before: { status: delivery.status },
      after: { status: "pending", messageKey: delivery.messageKey },
    });
    return ok({ message: `The message to ${delivery.target} is queued again.` });
  });
}
