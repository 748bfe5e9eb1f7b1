import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { ROLE_LABELS, ROLES } from "@/lib/domain/roles";
import { needsSecondAdmin, SELF_GRANT_REFUSAL, twoPersonRefusal } from "@/lib/domain/role-grants";
import { mayServiceAccountHold, SERVICE_ACCOUNT_ROLE_REFUSAL } from "@/lib/domain/service-accounts";
import { LAST_ADMIN_MESSAGE, removesLastAdmin } from "@/lib/domain/user-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";
import { lockedActiveAdminIds } from "./active-admins";
import { refuseUnlessAdmin } from "./admin-guard";

const schema = z.object({
  userId: z.string().uuid("Unknown user."),
  role: z.enum(ROLES, { message: "Unknown role." }),
  grant: z.boolean(),
});

/** Grants a non-privileged role, or removes any role; takes effect at the user's next request. */
export async function changeUserRole(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.roles");
  if (refused) return refused;
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.", fieldErrorsOf(parsed.error.issues));
  const { userId, role, grant } = parsed.data;
  const label = ROLE_LABELS[role];
  if (grant && userId === actor!.id) return refuse(SELF_GRANT_REFUSAL);

  return inTransaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, kind: true, roles: { select: { role: true } } } });
    if (!user) return refuse("That user no longer exists.");
    if (grant && user.kind === "service_account" && !mayServiceAccountHold(role)) return refuse(SERVICE_ACCOUNT_ROLE_REFUSAL);
    if (grant && needsSecondAdmin(role)) return refuse(twoPersonRefusal(role));
    const before = user.roles.map((r) => r.role).sort();
    if (before.includes(role) === grant) return ok({ message: `${user.name} ${grant ? "already holds" : "does not hold"} ${label}.` });
    if (grant) {
      await tx.userRole.create({ data: { userId, role, grantedById: actor!.id } });
    } else {
      if (role === "admin" && removesLastAdmin(await lockedActiveAdminIds(tx), userId)) return refuse(LAST_ADMIN_MESSAGE);
      await tx.userRole.delete({ where: { userId_role: { userId, role } } });
    }
    const after = grant ? [...before, role].sort() : before.filter((r) => r !== role);
    await appendAuditEvent(tx, {
      actor,
      action: grant ? "user.role_granted" : "user.role_removed",
      entityType: "user",
      entityId: userId,
      before: { roles: before },
      after: { roles: after },
    });
    return ok({ message: grant ? `${user.name} is now ${label}.` : `${user.name} is no longer ${label}.` });
  });
}
