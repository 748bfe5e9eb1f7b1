import "server-only";
import { inTransaction } from "../db/transaction";
import { requestAddress } from "../http/request-address";
import { appendAuditEvent } from "./append-audit-event";

/** An authorization refusal is evidence too: who tried what, from where. */
export async function recordDenial(actor: { id: string; email: string } | null, what: string, reason: string): Promise<void> {
  const clientAddress = await requestAddress();
  await inTransaction((tx) =>
    appendAuditEvent(tx, { actor, action: "authorization.denied", entityType: "access", entityId: what, reason, clientAddress }),
  );
}
