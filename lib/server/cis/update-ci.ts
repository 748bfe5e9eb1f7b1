import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ciEditSchema, STALE_CI_MESSAGE } from "@/lib/domain/ci-rules";
import { fieldErrorsOf, ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { CI_AUDIT_SELECT, isUniqueViolation, NAME_TAKEN } from "./ci-snapshot";
import { refuseUnlessConfigManager } from "./config-guard";

/**
 * Edits a CI's fields. Compare-and-set on updatedAt: an edit made from a stale page is refused
 * instead of silently overwriting another admin's change.
 */
export async function updateCi(actor: Actor | null, input: unknown): Promise<Result<{ message: string; updatedAt: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "cis.update");
  if (refused) return refused;
  const parsed = safeParseInput(ciEditSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { id, updatedAt, ...data } = parsed.data;
  try {
    return await inTransaction(async (tx) => {
      const before = await tx.configurationItem.findUnique({ where: { id }, select: CI_AUDIT_SELECT });
      if (!before) return refuseAs("not_found", "That configuration item no longer exists.");
      const now = new Date();
      const written = await tx.configurationItem.updateMany({
        where: { id, updatedAt: new Date(updatedAt) },
        data: { ...data, updatedAt: now },
      });
      if (written.count === 0) return refuseAs("conflict", STALE_CI_MESSAGE);
      await appendAuditEvent(tx, {
        actor,
        action: "ci.updated",
        entityType: "configuration_item",
        entityId: id,
        before,
        after: data,
      });
      return ok({ message: `${data.name} was saved.`, updatedAt: now.toISOString() });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse("Check the highlighted fields.", NAME_TAKEN);
    throw error;
  }
}
