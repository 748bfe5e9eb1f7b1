import "server-only";
import { randomBytes } from "node:crypto";
import { base32 } from "@/lib/domain/api-token";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { newServiceAccountSchema, serviceAccountEmail } from "@/lib/domain/service-accounts";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { hashPassword } from "../auth/password";
import { inTransaction } from "../db/transaction";
import { refuseUnlessAdmin } from "../users/admin-guard";

/** A service account: a user row of kind service_account, with roles and no password anyone knows. */
export async function createServiceAccount(actor: Actor | null, input: unknown): Promise<Result<{ id: string; message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "service-accounts.create");
  if (refused) return refused;
  const parsed = safeParseInput(newServiceAccountSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { name, roles } = parsed.data;
  const email = serviceAccountEmail(name, base32(randomBytes(5)));
  // The hash of a secret nobody keeps: sign-in fails for it like any wrong password, at the same cost.
  const passwordHash = await hashPassword(base32(randomBytes(32)));
  const created = await inTransaction(async (tx) => {
    const account = await tx.user.create({
      data: {
        name,
        email,
        passwordHash,
        kind: "service_account",
        roles: { create: roles.map((role) => ({ role, grantedById: actor!.id })) },
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "service_account.created",
      entityType: "user",
      entityId: account.id,
      after: { name, email, roles, kind: "service_account" },
    });
    return account;
  });
  return ok({ id: created.id, message: `${name} is created. Issue it a token below.` });
}
