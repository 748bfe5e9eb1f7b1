import "server-only";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { inTransaction } from "../db/transaction";
import { appendAuditEvent } from "../audit/append-audit-event";
import { verifyLiveChain, type LiveVerification } from "./verify-live-chain";

/** One line of the progress stream the verify page reads. */
export type VerifyStreamLine =
  { type: "progress"; checked: number; total: number } | { type: "result"; result: LiveVerification } | { type: "error"; message: string };

/**
 * Verifies the live chain for an auditor or admin (403 for anyone else), streaming progress
 * as JSON Lines; the run and its outcome are recorded as one audit event when it ends.
 */
export async function streamLiveVerification(actor: Actor): Promise<ReadableStream<Uint8Array>> {
  await refuseReadUnlessCan(actor, "audit.read");
  const encoder = new TextEncoder();
  let open = true;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: VerifyStreamLine) => {
        if (open) controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
      };
      try {
        const result = await verifyLiveChain((p) => send({ type: "progress", ...p }));
        const { broken, checked, checkpointsChecked, columns } = result;
        await inTransaction((tx) =>
          appendAuditEvent(tx, {
            actor,
            action: "audit.verified",
            entityType: "audit_log",
            after: { ok: result.ok, checked, checkpointsChecked, columns, headSeq: result.head.seq, broken: broken ?? null },
          }),
        );
        send({ type: "result", result });
      } catch (error) {
        console.error("[audit verify]", error);
        send({ type: "error", message: "The verification could not finish; try again. The error is in the server log." });
      }
      if (open) controller.close();
    },
    cancel() {
      open = false; // The auditor left; the run still finishes and is recorded.
    },
  });
}
