import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { randomUUID } from "node:crypto";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { templateSchema } from "@/lib/domain/template-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { refuseUnlessConfigManager } from "../cis/config-guard";
import { refuseUnknownCis } from "./template-guard";

/** Proposes a new standard-change template (version 1 of a new family); someone else approves it. */
export async function proposeTemplate(actor: Actor | null, input: unknown): Promise<Result<{ id: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "templates.propose");
  if (refused) return refused;
  const parsed = safeParseInput(templateSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { ciIds, ...fields } = parsed.data;

  return inTransaction(async (tx) => {
    const unknown = await refuseUnknownCis(tx, ciIds);
    if (unknown) return unknown;
    const template = await tx.changeTemplate.create({
      data: {
        ...fields,
        familyId: randomUUID(),
        version: 1,
        status: "proposed",
        proposedById: actor!.id,
        cis: { create: ciIds.map((ciId) => ({ ciId })) },
      },
      select: { id: true, familyId: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "template.proposed",
      entityType: "change_template",
      entityId: template.id,
      after: { ...fields, familyId: template.familyId, version: 1, status: "proposed", ciIds: [...ciIds].sort() },
    });
    return ok({ id: template.id });
  });
}
