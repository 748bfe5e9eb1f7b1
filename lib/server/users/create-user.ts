import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { needsSecondAdmin } from "@/lib/domain/role-grants";
import { newUserSchema } from "@/lib/domain/user-rules";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { hashPassword } from "../auth/password";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { refuseUnlessAdmin } from "./admin-guard";
import { openRoleGrantRequest } from "./role-grant-requests";

const EMAIL_TAKEN = { email: "A user with this email address already exists." };

/**
 * Creates a user who must choose a new password at first sign-in. The privileged roles chosen are
 * not granted but requested: a second admin approves them on Role requests.
 */
export async function createUser(actor: Actor | null, input: unknown): Promise<Result<{ id: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.create");
  if (refused) return refused;
  const parsed = safeParseInput(newUserSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { name, email, temporaryPassword } = parsed.data;
  const chosen = [...new Set(parsed.data.roles)];
  const roles = chosen.filter((role) => !needsSecondAdmin(role));
  const requested = chosen.filter(needsSecondAdmin);

  if (await db().user.findUnique({ where: { email }, select: { id: true } })) return refuse("Check the highlighted fields.", EMAIL_TAKEN);
  const passwordHash = await hashPassword(temporaryPassword);
  try {
    const user = await inTransaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          name,
          email,
          passwordHash,
          mustChangePassword: true,
          roles: { create: roles.map((role) => ({ role, grantedById: actor!.id })) },
        },
        select: { id: true },
      });
      await appendAuditEvent(tx, {
        actor,
        action: "user.created",
        entityType: "user",
        entityId: created.id,
        after: { name, email, roles },
      });
      const reason = `Chosen when ${actor!.name} created the account.`;
      for (const role of requested) await openRoleGrantRequest(tx, actor!, { userId: created.id, userName: name, role, reason });
      return created;
    });
    return ok(user);
  } catch (error) {
    // Two admins creating the same address at once: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return refuse("Check the highlighted fields.", EMAIL_TAKEN);
    throw error;
  }
}
