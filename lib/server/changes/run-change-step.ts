import "server-only";
import type { Decision } from "@/lib/domain/decision";
import { ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import { appendAuditEvent, type AuditHead } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseWhenBusy } from "../db/database-busy";
import { inTransaction, type Tx } from "../db/transaction";
import { STALE_CHANGE } from "./stale-change";
import { lockChangeFacts, type LockedChange } from "./load-change-facts";

export type Allowed = Extract<Decision, { allowed: true }>;

/** A step done: what to tell the user, and the change's version and newest event after it (an API write's ETag). */
export type StepDone = { message: string; version: number; eventSeq: number };

/** One write to a change: a transition, a vote, a sign-off or waiver, an assignment, a reschedule, an edit. */
export type ChangeStep<Gathered = undefined> = {
  changeId: string;
  /** The version the form was rendered with; omitted where a stale view cannot mislead (a vote). */
  version?: number;
  /** The step's time, recorded as the change's updated_at. */
  now?: Date;
  /** Reads, under the change's lock, what deciding needs besides the change's facts. */
  gather?: (tx: Tx, facts: LockedChange) => Promise<Gathered>;
  /** Asks the domain core whether this actor may take this step now. */
  decide: (facts: LockedChange, gathered: Gathered) => Decision;
  /** What a refusal's audit event records as attempted: a name, or the name with details. */
  attempted?: string | ((gathered: Gathered) => Record<string, unknown>);
  /** The step's own writes, once allowed; the runner then bumps the version and appends the event. */
  write: (tx: Tx, facts: LockedChange, decision: Allowed, gathered: Gathered) => Promise<void>;
  /** The event's before and after, where they say more than the decision's details (a transition's states, an edit's fields). */
  recorded?: (decision: Allowed, gathered: Gathered) => { before?: unknown; after?: unknown };
  message: string | ((decision: Allowed, gathered: Gathered) => string);
};

/**
 * Every write to a change goes through here, in one transaction: lock the change, refuse a stale
 * version, gather and decide, record a refusal, or write, compare-and-set the version and append
 * the one audit event. THE LOCK ORDER, for every writer: the change's row first (held to the end,
 * so steps on one change take turns and each decides on the one before), the audit chain's head
 * last (only to append, so steps on different changes wait for each other as little as possible).
 */
export async function runChangeStep<Gathered = undefined>(actor: Actor, step: ChangeStep<Gathered>): Promise<Result<StepDone>> {
  return refuseWhenBusy(() =>
    inTransaction(async (tx) => {
      const facts = await lockChangeFacts(tx, step.changeId);
      if (!facts) return refuse("That change no longer exists.");
      if (step.version !== undefined && step.version !== facts.version) return refuseAs("stale", STALE_CHANGE);
      const gathered = (step.gather ? await step.gather(tx, facts) : undefined) as Gathered;
      const decision = step.decide(facts, gathered);
      const audit = { actor, entityType: "change", entityId: facts.id, changeId: facts.id };
      if (!decision.allowed) {
        const message = decision.reasons.join(" ");
        const attempted =
          typeof step.attempted === "function" ? step.attempted(gathered) : step.attempted ? { attempted: step.attempted } : undefined;
        const refusal = { ...audit, action: "change.action_refused", before: { state: facts.state }, after: attempted, reason: message };
        await appendAuditEvent(tx, refusal);
        return refuse(message);
      }
      await step.write(tx, facts, decision, gathered);
      const head = await bumpVersionAndLockHead(tx, facts, step.now ?? new Date());
      const recorded = step.recorded?.(decision, gathered) ?? { after: decision.audit.details };
      const event = await appendAuditEvent(
        tx,
        { ...audit, action: decision.audit.action, ...recorded, reason: decision.audit.reason },
        head,
      );
      const message = typeof step.message === "function" ? step.message(decision, gathered) : step.message;
      return ok({ message, version: facts.version + 1, eventSeq: event.seq });
    }),
  );
}

/** The version's compare-and-set and the audit head's lock (second in the lock order), in one statement. */
async function bumpVersionAndLockHead(tx: Tx, change: { id: string; version: number }, now: Date): Promise<AuditHead> {
  const [row] = await tx.$queryRaw<{ seq: bigint; hash: string; bumped: bigint }[]>`
    WITH bumped AS (
      UPDATE change_requests SET version = version + 1, updated_at = ${now}
      WHERE id = ${change.id}::uuid AND version = ${change.version} RETURNING id
    )
    SELECT h.seq, h.hash, (SELECT count(*) FROM bumped) AS bumped FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE OF h`;
  // The row is locked and its version was read under the lock, so this cannot miss; if it did, roll back.
  if (!row || Number(row.bumped) !== 1) throw new Error(`Change ${change.id} was not at version ${change.version} under its own lock.`);
  return { seq: Number(row.seq), hash: row.hash };
}
