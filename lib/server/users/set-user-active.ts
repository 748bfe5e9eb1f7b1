import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { LAST_ADMIN_MESSAGE, removesLastAdmin } from "@/lib/domain/user-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { endUserSessions } from "../auth/user-session-rows";
import { inTransaction } from "../db/transaction";
import { lockedActiveAdminIds } from "./active-admins";
import { refuseUnlessAdmin } from "./admin-guard";

const schema = z.object({ userId: z.string().uuid("Unknown user."), active: z.boolean() });

/** Deactivates or reactivates an account; a deactivated user is refused at their next request. */
export async function setUserActive(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.active");
  if (refused) return refused;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { userId, active } = parsed.data;
  if (!active && userId === actor!.id) return refuse("You cannot deactivate your own account. Ask another admin.");

  return inTransaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, active: true } });
    if (!user) return refuse("That user no longer exists.");
    if (user.active === active) return ok({ message: `${user.name} is already ${active ? "active" : "deactivated"}.` });
    if (!active && removesLastAdmin(await lockedActiveAdminIds(tx), userId)) return refuse(LAST_ADMIN_MESSAGE);
    await tx.user.update({ where: { id: userId }, data: { active, sessionVersion: { increment: 1 }, updatedAt: new Date() } });
    if (!active) await endUserSessions(tx, userId, { reason: "deactivated", endedById: actor!.id });
    await appendAuditEvent(tx, {
      actor,
      action: active ? "user.reactivated" : "user.deactivated",
      entityType: "user",
      entityId: userId,
      before: { active: !active },
      after: { active },
    });
    return ok({
      message: active ? `${user.name} can sign in again.` : `${user.name} is deactivated and loses access at their next request.`,
    });
  });
}
