import "server-only";
import { z } from "zod";
import { effectiveOptOuts, isActionNeeded } from "@/lib/domain/mail-kinds";
import { NOTIFICATION_KINDS } from "@/lib/domain/notification-kinds";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";

/** Each mail kind and whether this user receives it; action-needed kinds are always on. */
export async function readMailPreferences(
  userId: string,
): Promise<{ kind: (typeof NOTIFICATION_KINDS)[number]; enabled: boolean; locked: boolean }[]> {
  const off = new Set((await db().mailOptOut.findMany({ where: { userId }, select: { kind: true } })).map((o) => o.kind));
  return NOTIFICATION_KINDS.map((kind) => ({ kind, locked: isActionNeeded(kind), enabled: isActionNeeded(kind) || !off.has(kind) }));
}

const schema = z.object({
  enabled: z.array(z.enum(NOTIFICATION_KINDS, { message: "Unknown kind of mail." })).max(NOTIFICATION_KINDS.length * 2),
});

/** Saves which mails the actor receives: the kinds not ticked are turned off, except those that ask them to act. */
export async function saveMailPreferences(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That choice of mails was not understood.");
  const enabled = new Set<string>(parsed.data.enabled);
  const off = effectiveOptOuts(NOTIFICATION_KINDS.filter((kind) => !enabled.has(kind)));
  return inTransaction(async (tx) => {
    const before = (await tx.mailOptOut.findMany({ where: { userId: actor.id }, select: { kind: true } })).map((o) => o.kind).sort();
    if (before.join() === [...off].sort().join()) return ok({ message: "Your mail choices are unchanged." });
    await tx.mailOptOut.deleteMany({ where: { userId: actor.id } });
    if (off.length) await tx.mailOptOut.createMany({ data: off.map((kind) => ({ userId: actor.id, kind })) });
    await appendAuditEvent(tx, {
      actor,
      action: "user.mail_preferences_changed",
      entityType: "user",
      entityId: actor.id,
      before: { mailsOff: before },
      after: { mailsOff: [...off].sort() },
    });
    return ok({ message: "Your mail choices are saved." });
  });
}
