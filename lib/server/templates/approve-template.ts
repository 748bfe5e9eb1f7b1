import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { decideApproval, isTemplateApprover } from "@/lib/domain/template-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { lockFamily } from "./template-guard";

const schema = z.object({ templateId: z.uuid("Unknown template.") });

/**
 * Approves a proposed version: by an admin or a change manager who did not propose it. The
 * family's previously approved version is retired in the same step, so one version is in use.
 */
export async function approveTemplate(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  if (!isTemplateApprover(actor.roles)) {
    const message = "Only an admin or a change manager can approve templates.";
    await recordDenial(actor, "templates.approve", message);
    return refuse(message);
  }
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { templateId } = parsed.data;

  const outcome = await inTransaction(async (tx) => {
    const found = await tx.changeTemplate.findUnique({ where: { id: templateId }, select: { familyId: true } });
    if (!found) return { result: refuse("That template no longer exists.") };
    await lockFamily(tx, found.familyId);
    // Read again under the family lock: an approval or retirement may just have committed.
    const template = await tx.changeTemplate.findUniqueOrThrow({
      where: { id: templateId },
      select: { title: true, version: true, status: true, proposedById: true },
    });
    const decision = decideApproval(actor, template);
    if (!decision.allowed)
      return { result: refuse(decision.reason), denied: template.proposedById === actor.id ? decision.reason : undefined };
    const now = new Date();
    const superseded = await tx.changeTemplate.findMany({
      where: { familyId: found.familyId, status: "approved" },
      select: { id: true, version: true },
    });
    await tx.changeTemplate.updateMany({ where: { id: { in: superseded.map((s) => s.id) } }, data: { status: "retired", retiredAt: now } });
    await tx.changeTemplate.update({ where: { id: templateId }, data: { status: "approved", approvedById: actor.id, approvedAt: now } });
    await appendAuditEvent(tx, {
      actor,
      action: "template.approved",
      entityType: "change_template",
      entityId: templateId,
      before: { status: "proposed" },
      after: { status: "approved", version: template.version, supersededVersions: superseded.map((s) => s.version) },
    });
    const replaced = superseded.length ? ` It replaces version ${superseded.map((s) => s.version).join(", ")}.` : "";
    return {
      result: ok({
        message: `Version ${template.version} of “${template.title}” is approved and can be used for standard changes.${replaced}`,
      }),
    };
  });
  // A segregation-of-duties refusal is an authorization denial: evidence for the auditors.
  if (outcome.denied) await recordDenial(actor, `templates.approve:${templateId}`, outcome.denied);
  return outcome.result;
}
