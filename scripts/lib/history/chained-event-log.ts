// Writes a back-dated audit history: events are planned in any order, leave a min-heap in time
// order, are chained as they leave (seq, prev_hash, hash, the hashed bytes) and stream into
// audit_events by COPY. The table's BEFORE INSERT trigger checks every link as it loads. Shared
// by the bench generator (scripts/bench/data/) and the demo history
// (prisma/seed/demo-history.ts).
import type pg from "pg";
import { chainEvent, GENESIS_HASH } from "../../../lib/domain/audit-chain";
import { hashedContent } from "../../../lib/domain/audit-event";
import { CopyWriter } from "./copy";
import { MinHeap } from "./heap";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type PlannedEvent = {
  actor: { id: string; email: string } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changeId: string | null;
  before?: Json;
  after?: Json;
  reason?: string | null;
  clientAddress?: string | null;
};

export type ChainLinkWritten = { seq: number; hash: string; occurredAt: number };

export class ChainedEventLog {
  private readonly heap = new MinHeap<PlannedEvent>();
  private copy: CopyWriter | null = null;
  private head = { seq: 0, hash: GENESIS_HASH };

  /**
   * client: the COPY starts with the first event written and holds the connection until end(), so
   * the caller writes other rows before that or on another connection. onLink sees every event
   * written (checkpoints).
   */
  constructor(
    private readonly client: pg.Client | pg.PoolClient,
    private readonly onLink?: (link: ChainLinkWritten) => void,
  ) {}

  private get writer(): CopyWriter {
    this.copy ??= new CopyWriter(this.client, "audit_events", [
      "seq",
      "occurred_at",
      "actor_id",
      "actor_email",
      "action",
      "entity_type",
      "entity_id",
      "change_id",
      "before",
      "after",
      "reason",
      "client_address",
      "prev_hash",
      "hash",
      "hashed_content",
    ]);
    return this.copy;
  }

  /** Events written so far. */
  get written(): number {
    return this.head.seq;
  }

  plan(at: number, event: PlannedEvent): void {
    this.heap.push(at, event);
  }

  /** Writes the planned events before `limit` (ms since the epoch), oldest first. */
  async emitUntil(limit: number): Promise<void> {
    while (this.heap.size > 0 && this.heap.peekKey()! < limit) {
      const at = this.heap.peekKey()!;
      const e = this.heap.pop()!;
      const seq = this.head.seq + 1;
      const content = hashedContent({
        seq,
        occurredAt: new Date(at).toISOString(),
        actorId: e.actor?.id ?? null,
        actorEmail: e.actor?.email ?? null,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        changeId: e.changeId,
        before: e.before ?? null,
        after: e.after ?? null,
        reason: e.reason ?? null,
        clientAddress: e.clientAddress ?? null,
      });
      const { hashed, hash } = chainEvent(this.head.hash, content);
      await this.writer.write([
        seq,
        content.occurredAt,
        content.actorId,
        content.actorEmail,
        e.action,
        e.entityType,
        e.entityId,
        e.changeId,
        content.before,
        content.after,
        content.reason,
        content.clientAddress,
        this.head.hash,
        hash,
        hashed,
      ]);
      this.head = { seq, hash };
      this.onLink?.({ seq, hash, occurredAt: at });
    }
  }

  /** Writes what is left and ends the COPY; the caller then moves audit_chain_head to the returned head. */
  async end(): Promise<{ seq: number; hash: string }> {
    await this.emitUntil(Infinity);
    await this.writer.end();
    return this.head;
  }
}
