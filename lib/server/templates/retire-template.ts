import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { decideRetire } from "@/lib/domain/template-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { refuseUnlessConfigManager } from "../cis/config-guard";
import { lockFamily } from "./template-guard";

const schema = z.object({ templateId: z.uuid("Unknown template.") });

/** Retires a version (approved, or a proposal that will not be approved); no new change can use it. */
export async function retireTemplate(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "templates.retire");
  if (refused) return refused;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { templateId } = parsed.data;

  return inTransaction(async (tx) => {
    const found = await tx.changeTemplate.findUnique({ where: { id: templateId }, select: { familyId: true } });
    if (!found) return refuse("That template no longer exists.");
    await lockFamily(tx, found.familyId);
    const template = await tx.changeTemplate.findUniqueOrThrow({
      where: { id: templateId },
      select: { title: true, version: true, status: true },
    });
    const decision = decideRetire(template);
    if (!decision.allowed) return refuse(decision.reason);
    await tx.changeTemplate.update({ where: { id: templateId }, data: { status: "retired", retiredAt: new Date() } });
    await appendAuditEvent(tx, {
      actor,
      action: "template.retired",
      entityType: "change_template",
      entityId: templateId,
      before: { status: template.status },
      after: { status: "retired" },
    });
    return ok({ message: `Version ${template.version} of “${template.title}” is retired. New changes cannot use it.` });
  });
}
