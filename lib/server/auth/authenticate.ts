import "server-only";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from "./password";
import { clearAccountFailures, lockedForMinutes, recordFailure, throttleKeys } from "./login-throttle";

export const INVALID_CREDENTIALS = "The email address or password is incorrect.";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(320),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export type AuthenticationResult =
  | { ok: true; userId: string }
  | { ok: false; message: string };

/** Checks a sign-in attempt. Unknown, deactivated and wrong-password accounts get the same answer. */
export async function authenticate(input: unknown, address: string): Promise<AuthenticationResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: INVALID_CREDENTIALS };
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, address);

  const user = await db().user.findUnique({ where: { email }, select: { id: true, active: true, passwordHash: true } });
  const actor = user ? { id: user.id, email } : null;
  const minutes = await lockedForMinutes(keys);
  if (minutes > 0) {
    await inTransaction((tx) => appendAuditEvent(tx, { actor, action: "auth.sign_in_failed", entityType: "session", after: { email }, reason: "locked out", clientAddress: address }));
    return { ok: false, message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
  }

  const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !user.active || !matches) {
    const reason = !user ? "unknown account" : !user.active ? "deactivated account" : "wrong password";
    await inTransaction(async (tx) => {
      await recordFailure(tx, keys);
      await appendAuditEvent(tx, { actor, action: "auth.sign_in_failed", entityType: "session", after: { email }, reason, clientAddress: address });
    });
    return { ok: false, message: INVALID_CREDENTIALS };
  }
  await inTransaction(async (tx) => {
    await clearAccountFailures(tx, email);
    await appendAuditEvent(tx, { actor, action: "auth.signed_in", entityType: "session", clientAddress: address });
  });
  return { ok: true, userId: user.id };
}

/** The client's address as the nearest proxy (or Next.js itself) recorded it: the last X-Forwarded-For entry. */
export function clientAddress(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : raw ?? "";
  return value.split(",").map((s) => s.trim()).filter(Boolean).at(-1) ?? "unknown";
}
