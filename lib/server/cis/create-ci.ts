import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ciSchema } from "@/lib/domain/ci-rules";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { isUniqueViolation, NAME_TAKEN } from "./ci-snapshot";
import { refuseUnlessConfigManager } from "./config-guard";

/** Adds a configuration item to the CMDB. */
export async function createCi(actor: Actor | null, input: unknown): Promise<Result<{ id: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "cis.create");
  if (refused) return refused;
  const parsed = safeParseInput(ciSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const data = parsed.data;
  try {
    const created = await inTransaction(async (tx) => {
      const ci = await tx.configurationItem.create({ data, select: { id: true } });
      await appendAuditEvent(tx, {
        actor,
        action: "ci.created",
        entityType: "configuration_item",
        entityId: ci.id,
        after: data,
      });
      return ci;
    });
    return ok(created);
  } catch (error) {
    // The unique index on name decides between two admins creating the same name at once.
    if (isUniqueViolation(error)) return refuse("Check the highlighted fields.", NAME_TAKEN);
    throw error;
  }
}
