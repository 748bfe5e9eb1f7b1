import "server-only";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { Decision } from "@/lib/domain/decision";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../http/request-address";
import { refuseWhenBusy } from "../db/database-busy";
import { Prisma } from "../db/generated/client";
import { inTransaction, type Tx } from "../db/transaction";
import { STALE_CHANGE } from "./stale-change";
import { lockChangeFacts } from "./load-change-facts";

type Step = {
  changeId: string;
  /** The version the form was rendered with; omitted where a stale view cannot mislead (a vote). */
  version?: number;
  /** What a refusal's audit event names as attempted, e.g. "reschedule". */
  attempted?: string;
  decide: (facts: ChangeFacts, tx: Tx) => Decision | Promise<Decision>;
  /**
   * The step's writes: done through `tx`, or returned as one SQL statement, which is sent together
   * with the version bump and the audit head's lock (a vote's hot path). `currentRoundId`: the
   * open approval round's id, read with the lock (null before submission).
   */
  write: (tx: Tx, facts: ChangeFacts, locked: { currentRoundId: string | null }) => Promise<void | Prisma.Sql>;
  message: string;
};

/** A step on a change that is not a transition (vote, sign-off, waiver, assignment): lock, decide, write, audit. */
export async function runChangeStep(actor: Actor, step: Step): Promise<Result<{ message: string }>> {
  const clientAddress = await requestAddress();
  return refuseWhenBusy(() =>
    inTransaction(async (tx) => {
      // The audit head's lock comes with the change's: one round trip fewer; every step appends.
      const locked = await lockChangeFacts(tx, step.changeId, { auditHead: true });
      if (!locked) return refuse("That change no longer exists.");
      if (step.version !== undefined && step.version !== locked.version) return refuse(STALE_CHANGE);
      const { version, currentRoundId, auditHead, ...facts } = locked;
      const decision = await step.decide(facts, tx);
      const audit = { actor, entityType: "change", entityId: facts.id, changeId: facts.id, clientAddress };
      if (!decision.allowed) {
        const message = decision.reasons.join(" ");
        const after = step.attempted ? { attempted: step.attempted } : undefined;
        await appendAuditEvent(
          tx,
          { ...audit, action: "change.action_refused", before: { state: facts.state }, after, reason: message },
          [],
          auditHead,
        );
        return refuse(message);
      }
      const written = await step.write(tx, facts, { currentRoundId });
      // The row is locked and its version was read under the lock: this compare-and-set cannot miss.
      const bump = Prisma.sql`UPDATE change_requests SET version = version + 1, updated_at = now() WHERE id = ${facts.id}::uuid AND version = ${version}`;
      await appendAuditEvent(
        tx,
        { ...audit, action: decision.audit.action, after: decision.audit.details, reason: decision.audit.reason },
        written ? [written, bump] : [bump],
        auditHead,
      );
      return ok({ message: step.message });
    }),
  );
}
