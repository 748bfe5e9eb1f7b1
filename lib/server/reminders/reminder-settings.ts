import "server-only";
import { readReminderSettings, reminderSettingsSchema, type ReminderSettings } from "@/lib/domain/reminder-settings";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { safeParseInput } from "@/lib/domain/parse-input";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";

const KEY = "reminders";

/** The organisation's reminder, business-hours and CAB cut-off settings (defaults until an admin saves them). */
export async function loadReminderSettings(client: Tx | ReturnType<typeof db> = db()): Promise<ReminderSettings> {
  const row = await client.appSetting.findUnique({ where: { key: KEY }, select: { value: true } });
  return readReminderSettings(row?.value);
}

/** An admin saves them; an audit event records before and after. */
export async function saveReminderSettings(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "config.manage", "settings.reminders", "Only an admin changes the reminder settings.");
  if (refused) return refused;
  const parsed = safeParseInput(reminderSettingsSchema, input);
  if (!parsed.success)
    return refuse(parsed.error.issues[0]?.message ?? "Those settings were not understood.", fieldErrorsOf(parsed.error.issues));
  const after = parsed.data;
  return inTransaction(async (tx) => {
    const before = await loadReminderSettings(tx);
    if (JSON.stringify(before) === JSON.stringify(after)) return ok({ message: "The reminder settings are unchanged." });
    await tx.appSetting.upsert({
      where: { key: KEY },
      create: { key: KEY, value: after },
      update: { value: after, updatedAt: new Date() },
    });
    await appendAuditEvent(tx, { actor, action: "settings.reminders_changed", entityType: "settings", entityId: KEY, before, after });
    return ok({ message: "The reminder settings are saved." });
  });
}
