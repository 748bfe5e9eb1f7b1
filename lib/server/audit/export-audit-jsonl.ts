import "server-only";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { recordDenial } from "./record-denial";
import { appendAuditEvent } from "./append-audit-event";
import { readAuditEvents } from "./read-audit-events";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../auth/request-address";
import { inTransaction } from "../db/transaction";

// Rows per keyset read: larger batches spend less per row on round trips; 5,000 events are a few MB.
const BATCH = 5_000;

export function mayExportAudit(actor: Actor): boolean {
  return actor.roles.includes("auditor") || actor.roles.includes("admin");
}

/**
 * The audit log as JSON Lines, up to the chain head at export time. The export is itself an
 * audit event (the last line). Rows are read in keyset batches as the client reads, so memory
 * stays flat whatever the size.
 */
export async function exportAuditJsonl(actor: Actor | null): Promise<{ ok: true; stream: ReadableStream<Uint8Array>; headSeq: number } | { ok: false; status: 401 | 403; message: string }> {
  if (!actor) return { ok: false, status: 401, message: "Sign in first." };
  if (!mayExportAudit(actor)) {
    const message = "Only auditors and admins can export the audit log.";
    await recordDenial(actor, "audit.export", message);
    return { ok: false, status: 403, message };
  }
  const clientAddress = await requestAddress();
  const { seq: headSeq } = await inTransaction((tx) => appendAuditEvent(tx, { actor, action: "audit.exported", entityType: "audit_log", after: { format: "jsonl" }, clientAddress }));
  const encoder = new TextEncoder();
  let afterSeq = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const batch = await readAuditEvents({ afterSeq, limit: Math.min(BATCH, headSeq - afterSeq) });
      if (batch.length === 0 || afterSeq >= headSeq) return controller.close();
      controller.enqueue(encoder.encode(batch.map((e) => auditJsonLine(e) + "\n").join("")));
      afterSeq = batch.at(-1)!.seq;
      if (afterSeq >= headSeq) controller.close();
    },
  });
  return { ok: true, stream, headSeq };
}
