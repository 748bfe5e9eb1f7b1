import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { decideNewVersion, newVersionSchema } from "@/lib/domain/template-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { refuseUnlessConfigManager } from "../cis/config-guard";
import { lockFamily, refuseUnknownCis } from "./template-guard";

/** Editing a template: proposes version n+1, which needs approval again; version n stays in use until then. */
export async function newTemplateVersion(actor: Actor | null, input: unknown): Promise<Result<{ id: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "templates.new_version");
  if (refused) return refused;
  const parsed = safeParseInput(newVersionSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { baseId, ciIds, ...fields } = parsed.data;

  return inTransaction(async (tx) => {
    const base = await tx.changeTemplate.findUnique({ where: { id: baseId }, select: { familyId: true, version: true } });
    if (!base) return refuse("That template no longer exists.");
    await lockFamily(tx, base.familyId);
    const latest = await tx.changeTemplate.findFirstOrThrow({
      where: { familyId: base.familyId },
      orderBy: { version: "desc" },
      select: { version: true, status: true },
    });
    const decision = decideNewVersion(base, latest);
    if (!decision.allowed) return refuse(decision.reason);
    const unknown = await refuseUnknownCis(tx, ciIds);
    if (unknown) return unknown;
    const version = latest.version + 1;
    const created = await tx.changeTemplate.create({
      data: {
        ...fields,
        familyId: base.familyId,
        version,
        status: "proposed",
        proposedById: actor!.id,
        cis: { create: ciIds.map((ciId) => ({ ciId })) },
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "template.version_proposed",
      entityType: "change_template",
      entityId: created.id,
      before: { templateId: baseId, version: base.version },
      after: { ...fields, familyId: base.familyId, version, status: "proposed", ciIds: [...ciIds].sort() },
    });
    return ok({ id: created.id });
  });
}
