import "server-only";
import { appendAuditEvent } from "../audit/append-audit-event";
import { inTransaction } from "../db/transaction";

/** A refused use of a real token is evidence, written like every other authorization denial. */
export async function recordTokenRefusal(input: {
  actor: { id: string; email: string } | null;
  attempted: string;
  code: string;
  reason: string;
  publicId: string;
  clientAddress: string | null;
}): Promise<void> {
  await inTransaction((tx) =>
    appendAuditEvent(tx, {
      actor: input.actor,
      action: "authorization.denied",
      entityType: "access",
      entityId: `api:${input.attempted}`,
      after: { code: input.code, token: input.publicId },
      reason: input.reason,
      clientAddress: input.clientAddress,
    }),
  );
}
