import "server-only";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Tx } from "../db/transaction";

export type SignInFailure = { actor: { id: string; email: string } | null; email: string; address: string; reason: string };

/**
 * Counts a failed sign-in for its account, address and minute; only the minute's first failure
 * appends an audit event (the head lock is shared by every writer, so unauthenticated requests
 * must not each take it). The primary key makes two concurrent failures agree on which is first:
 * the second waits for the first's row and then only adds to the count.
 */
export async function recordSignInFailure(tx: Tx, failure: SignInFailure): Promise<{ audited: boolean }> {
  const rows = await tx.$queryRaw<{ inserted: boolean; minute: Date }[]>`
    INSERT INTO sign_in_failure_minutes AS m (account, address, minute, failures, first_at, last_at)
    VALUES (${failure.email}, ${failure.address}, date_trunc('minute', now()), 1, now(), now())
    ON CONFLICT (account, address, minute) DO UPDATE SET failures = m.failures + 1, last_at = now()
    RETURNING (xmax = 0) AS inserted, minute`;
  const first = rows[0];
  if (!first?.inserted) return { audited: false };
  await appendAuditEvent(tx, {
    actor: failure.actor,
    action: "auth.sign_in_failed",
    entityType: "session",
    after: { email: failure.email, minute: first.minute.toISOString(), counted: "sign_in_failure_minutes" },
    reason: failure.reason,
    clientAddress: failure.address,
  });
  return { audited: true };
}
