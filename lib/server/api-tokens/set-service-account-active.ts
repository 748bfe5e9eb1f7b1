import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { refuseUnlessAdmin } from "../users/admin-guard";

const schema = z.object({ serviceAccountId: z.uuid("Unknown service account."), active: z.boolean() });

/** Deactivates or reactivates a service account; every token of a deactivated one is refused at its next request. */
export async function setServiceAccountActive(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "service-accounts.active");
  if (refused) return refused;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { serviceAccountId, active } = parsed.data;
  return inTransaction(async (tx) => {
    const account = await tx.user.findFirst({
      where: { id: serviceAccountId, kind: "service_account" },
      select: { name: true, active: true },
    });
    if (!account) return refuse("That service account no longer exists.");
    if (account.active === active) return ok({ message: `${account.name} is already ${active ? "active" : "deactivated"}.` });
    await tx.user.update({ where: { id: serviceAccountId }, data: { active, sessionVersion: { increment: 1 }, updatedAt: new Date() } });
    await appendAuditEvent(tx, {
      actor,
      action: active ? "user.reactivated" : "user.deactivated",
      entityType: "user",
      entityId: serviceAccountId,
      before: { active: !active },
      after: { active, kind: "service_account" },
    });
    return ok({
      message: active
        ? `${account.name} is active again; its live tokens work.`
        : `${account.name} is deactivated; its tokens are refused.`,
    });
  });
}
