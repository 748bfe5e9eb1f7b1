import "server-only";
import { ok, type Result } from "@/lib/domain/result";
import type { SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { inTransaction } from "../db/transaction";
import { appendAuditEvent } from "../audit/append-audit-event";
import { takeCheckpoint } from "../audit/checkpoints";

/**
 * An auditor's or admin's signed checkpoint of the log as it is now. The audit event that records
 * the request is written first, so the checkpoint covers it too.
 */
export async function takeCheckpointOnDemand(actor: Actor | null): Promise<Result<{ message: string; checkpoint: SignedCheckpoint }>> {
  const refused = await refuseUnlessCan(
    actor,
    "audit.read",
    "audit.checkpoint",
    "Only auditors and admins can take a checkpoint of the audit log.",
  );
  if (refused) return refused;
  return inTransaction(async (tx) => {
    const event = await appendAuditEvent(tx, {
      actor,
      action: "audit.checkpoint_taken",
      entityType: "audit_log",
      after: { reason: "on_demand" },
    });
    // A periodic checkpoint may already have signed this very event; a second one at the same seq is harmless and says who asked.
    const checkpoint = await takeCheckpoint(tx, "on_demand", actor!.id);
    return ok({
      message: `Checkpoint signed at event ${event.seq}. Download it and keep it: a later export must still contain this event with this hash.`,
      checkpoint,
    });
  });
}
