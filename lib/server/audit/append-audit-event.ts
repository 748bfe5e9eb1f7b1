import "server-only";
import { chainEvent } from "@/lib/domain/audit-chain";
import { hashedContent } from "@/lib/domain/audit-event";
import type { AuthenticationRecord } from "@/lib/domain/step-up";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { RequestMetadata } from "../http/request-metadata";
import { bodiesOfEvent, webhookOutbox } from "./webhook-outbox";
import { takeCheckpoint } from "./checkpoints";

export type AuditInput = {
  /** Who acted, with the request they acted through: its client address is recorded unless `clientAddress` is given. */
  actor: { id: string; email: string; request?: RequestMetadata; authentication?: AuthenticationRecord } | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  changeId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  clientAddress?: string | null;
};

/** The chain's head: the last event's sequence number and hash. */
export type AuditHead = { seq: number; hash: string };

/**
 * Appends one event inside the caller's transaction, so the event and the change it records
 * commit or roll back together. Locking the head row makes concurrent writers, in this or
 * another app instance, take turns: one linear chain, no gaps. `lockedHead`: the head as read by
 * a caller that already holds its lock (runChangeStep, a key rotation).
 */
export async function appendAuditEvent(tx: Tx, input: AuditInput, lockedHead?: AuditHead): Promise<AuditHead> {
  const head = lockedHead ?? (await lockHead(tx));
  const seq = head.seq + 1;
  const occurredAt = new Date();
  const content = hashedContent({
    seq,
    occurredAt: occurredAt.toISOString(),
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    changeId: input.changeId ?? null,
    before: jsonSafe(input.before),
    after: jsonSafe(withAuthentication(input.after, input.actor?.authentication)),
    reason: input.reason ?? null,
    clientAddress: input.clientAddress ?? input.actor?.request?.clientAddress ?? null,
  });
  // The hashed bytes are stored as they are: exports carry them and verifiers hash them directly.
  const { hashed, hash } = chainEvent(head.hash, content);
  // The webhooks it announces, the audit stream's export line among them: written with the event.
  const line = `{"hash":"${hash}","prevHash":"${head.hash}",${hashed.slice(1)}`;
  const outbox = webhookOutbox(
    `event-${seq}`,
    input.changeId ?? null,
    bodiesOfEvent({
      seq,
      line,
      occurredAt: occurredAt.toISOString(),
      action: input.action,
      actorEmail: input.actor?.email ?? null,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      changeId: input.changeId ?? null,
      before: content.before,
      after: content.after,
      reason: input.reason ?? null,
    }),
  );
  // One round trip: the event, the head and the webhooks' outbox move together (the head row is locked above).
  await tx.$executeRaw`
    WITH event AS (
      INSERT INTO audit_events (seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash, hashed_content)
      VALUES (${seq}, ${occurredAt}, ${content.actorId}::uuid, ${content.actorEmail}, ${content.action}, ${content.entityType}, ${content.entityId},
              ${content.changeId}::uuid, ${json(content.before)}::jsonb, ${json(content.after)}::jsonb, ${content.reason}, ${content.clientAddress}, ${head.hash}, ${hash}, ${hashed})
    ), ${outbox}
    UPDATE audit_chain_head SET seq = ${seq}, hash = ${hash} WHERE id = 1 AND (SELECT count(*) FROM hook_jobs) >= 0`;
  // A signed checkpoint every N events, in this transaction: it exists exactly when the event does.
  if (seq % env().AUDIT_CHECKPOINT_EVERY === 0) await takeCheckpoint(tx, "periodic");
  return { seq, hash };
}

async function lockHead(tx: Tx): Promise<AuditHead> {
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
  if (!head) throw new Error("audit_chain_head is missing its row; the audit migration did not run.");
  return { seq: Number(head.seq), hash: head.hash };
}

// Dates become ISO strings and undefined fields vanish before hashing, exactly as the stored JSONB will read back.
function jsonSafe(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

// A sensitive action (step-up) records how its actor authenticated beside what it changed.
function withAuthentication(after: unknown, authentication: AuthenticationRecord | undefined): unknown {
  if (!authentication) return after;
  if (after === undefined || after === null) return { authentication };
  return typeof after === "object" && !Array.isArray(after) ? { ...after, authentication } : after;
}

function json(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}
