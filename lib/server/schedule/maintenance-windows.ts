import "server-only";
import { idInputSchema, safeParseInput } from "@/lib/domain/parse-input";
import { maintenanceWindowSchema } from "@/lib/domain/freeze-rules";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { describeSlot } from "@/lib/domain/schedule-windows";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessConfigManager } from "../cis/config-guard";
import { inTransaction } from "../db/transaction";

/** Adds a weekly maintenance slot to a CI. */
export async function addMaintenanceWindow(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "cis.maintenance_window");
  if (refused) return refused;
  const parsed = safeParseInput(maintenanceWindowSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { ciId, weekday, start, hours } = parsed.data;
  const slot = { weekday, startMinute: start, durationMinutes: Math.round(hours * 60) };
  return inTransaction(async (tx) => {
    const ci = await tx.configurationItem.findUnique({ where: { id: ciId }, select: { name: true } });
    if (!ci) return refuse("That configuration item no longer exists.");
    const created = await tx.maintenanceWindow.create({ data: { ciId, ...slot }, select: { id: true } });
    await appendAuditEvent(tx, {
      actor,
      action: "ci.maintenance_window_added",
      entityType: "configuration_item",
      entityId: ciId,
      after: { id: created.id, ...slot },
    });
    return ok({ message: `${ci.name} may now be changed on ${describeSlot(slot)}.` });
  });
}

export async function removeMaintenanceWindow(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "cis.maintenance_window");
  if (refused) return refused;
  const parsed = safeParseInput(idInputSchema, input);
  if (!parsed.success) return refuse("Unknown maintenance window.");
  const { id } = parsed.data;
  return inTransaction(async (tx) => {
    const slot = await tx.maintenanceWindow.findUnique({
      where: { id },
      select: { ciId: true, weekday: true, startMinute: true, durationMinutes: true },
    });
    if (!slot) return refuse("That maintenance window was already removed; reload the page.");
    await tx.maintenanceWindow.delete({ where: { id } });
    const { ciId, ...before } = slot;
    await appendAuditEvent(tx, {
      actor,
      action: "ci.maintenance_window_removed",
      entityType: "configuration_item",
      entityId: ciId,
      before: { id, ...before },
    });
    return ok({ message: `The maintenance window ${describeSlot(before)} was removed.` });
  });
}
