import "server-only";
import { inTransaction } from "../db/transaction";
import { appendAuditEvent, type AuditInput } from "./append-audit-event";

/** An authorization refusal is evidence too: who tried what, from where (the actor's request). */
export async function recordDenial(actor: AuditInput["actor"], what: string, reason: string): Promise<void> {
  await inTransaction((tx) =>
    appendAuditEvent(tx, { actor, action: "authorization.denied", entityType: "access", entityId: what, reason }),
  );
}
