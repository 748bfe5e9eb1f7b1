import "server-only";
import { idInputSchema, safeParseInput } from "@/lib/domain/parse-input";
import { freezeEditSchema, freezeSchema, STALE_FREEZE_MESSAGE } from "@/lib/domain/freeze-rules";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { inTransaction } from "../db/transaction";

const ONLY_ADMIN = "Only an admin can manage freeze windows.";
const SNAPSHOT = { startsAt: true, endsAt: true, reason: true, scope: true, environments: true, tags: true } as const;

/** Declares a freeze window. */
export async function createFreeze(actor: Actor | null, input: unknown): Promise<Result<{ id: string; message: string }>> {
  const refused = await refuseUnlessCan(actor, "config.manage", "freezes.create", ONLY_ADMIN);
  if (refused) return refused;
  const parsed = safeParseInput(freezeSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const data = parsed.data;
  return inTransaction(async (tx) => {
    const freeze = await tx.freezeWindow.create({ data: { ...data, createdById: actor!.id }, select: { id: true } });
    await appendAuditEvent(tx, {
      actor,
      action: "freeze.created",
      entityType: "freeze_window",
      entityId: freeze.id,
      after: data,
    });
    return ok({ id: freeze.id, message: "Freeze window created." });
  });
}

/** Edits a freeze window; compare-and-set on updatedAt so a stale page cannot overwrite another admin's edit. */
export async function updateFreeze(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "config.manage", "freezes.update", ONLY_ADMIN);
  if (refused) return refused;
  const parsed = safeParseInput(freezeEditSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { id, updatedAt, ...data } = parsed.data;
  return inTransaction(async (tx) => {
    const before = await tx.freezeWindow.findUnique({ where: { id }, select: SNAPSHOT });
    if (!before) return refuse(STALE_FREEZE_MESSAGE);
    const written = await tx.freezeWindow.updateMany({
      where: { id, updatedAt: new Date(updatedAt) },
      data: { ...data, updatedAt: new Date() },
    });
    if (written.count === 0) return refuse(STALE_FREEZE_MESSAGE);
    await appendAuditEvent(tx, {
      actor,
      action: "freeze.updated",
      entityType: "freeze_window",
      entityId: id,
      before,
      after: data,
    });
    return ok({ message: "Freeze window saved." });
  });
}

/** Removes a freeze window (the audit log keeps what it was). */
export async function deleteFreeze(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "config.manage", "freezes.delete", ONLY_ADMIN);
  if (refused) return refused;
  const parsed = safeParseInput(idInputSchema, input);
  if (!parsed.success) return refuse("Unknown freeze window.");
  const { id } = parsed.data;
  return inTransaction(async (tx) => {
    const before = await tx.freezeWindow.findUnique({ where: { id }, select: SNAPSHOT });
    if (!before) return refuse(STALE_FREEZE_MESSAGE);
    await tx.freezeWindow.delete({ where: { id } });
    await appendAuditEvent(tx, { actor, action: "freeze.deleted", entityType: "freeze_window", entityId: id, before });
    return ok({ message: `The freeze "${before.reason}" was removed.` });
  });
}
