import "server-only";
import { randomUUID } from "node:crypto";
import type { SignedCheckpoint } from "@/lib/domain/audit-checkpoint";
import { canonicalJson } from "@/lib/domain/canonical-json";
import { webhookEventsOf, WEBHOOK_FORMATS, type WebhookFormat } from "@/lib/domain/webhook-events";
import { renderWebhookBody, type WebhookNotice } from "@/lib/domain/webhook-payload";
import { Prisma } from "../db/generated/client";
import { env } from "../env";
import { QUEUE_MAX_ATTEMPTS, TASKS } from "../jobs/add-jobs";

/** Each event type's request body, per format (the audit stream has one: it is sent as is). */
type Bodies = Record<string, Partial<Record<WebhookFormat, string>>>;

/** What appendAuditEvent knows of the event it appends. */
export type AppendedEvent = Omit<WebhookNotice, "type" | "url" | "auditSeq"> & { seq: number; line: string };

export function changeUrl(changeId: string | null): string {
  const base = env().NEXTAUTH_URL.replace(/\/$/, "");
  return changeId ? `${base}/changes/${changeId}` : base;
}

/** The bodies of the webhooks an audit event announces: its mapped events in every format, and its export line for the stream. */
export function bodiesOfEvent(event: AppendedEvent): Bodies {
  const bodies: Bodies = {};
  for (const type of webhookEventsOf(event.action)) {
    if (type === "audit.event") bodies[type] = { standard: event.line };
    else {
      const notice: WebhookNotice = { ...event, type, auditSeq: event.seq, url: changeUrl(event.changeId) };
      bodies[type] = Object.fromEntries(WEBHOOK_FORMATS.map((f) => [f, renderWebhookBody(notice, f)]));
    }
  }
  return bodies;
}

/** A signed checkpoint's body, exactly what a witness keeps (canonical JSON of the five signed fields). */
export function checkpointBody(cp: SignedCheckpoint): string {
  return canonicalJson({ seq: cp.seq, hash: cp.hash, createdAt: cp.createdAt, keyId: cp.keyId, signature: cp.signature });
}

/**
 * Common table expressions that write a delivery, and its job, for every active subscription to
 * one of these events, for the statement that appends what they announce: they commit or roll
 * back with it, in the same round trip. The statement must read `hook_jobs` (a plain SELECT in
 * WITH runs only when read): `WITH …, ${webhookOutbox(…)} … (SELECT count(*) FROM hook_jobs)`.
 */
export function webhookOutbox(keyPart: string, changeId: string | null, bodies: Bodies): Prisma.Sql {
  return Prisma.sql`
    hooks AS (
      INSERT INTO deliveries (message_key, channel, kind, target, change_id, subject, body_text, body_html, max_attempts, subscription_id)
      SELECT 'webhook.' || s.id || '.' || ${keyPart}::text || '.' || t.type, 'webhook', t.type, s.url, ${changeId}::uuid, t.type,
             coalesce(t.bodies ->> s.format, t.bodies ->> 'standard'), '', ${env().DELIVERY_MAX_ATTEMPTS}::int, s.id
        FROM webhook_subscriptions s CROSS JOIN jsonb_each(${JSON.stringify(bodies)}::jsonb) AS t(type, bodies)
       WHERE s.active AND t.type = ANY(s.event_types)
      RETURNING id
    ),
    hook_jobs AS (
      SELECT graphile_worker.add_job(${TASKS.deliverWebhook}::text, json_build_object('deliveryId', id), max_attempts => ${QUEUE_MAX_ATTEMPTS}::int,
                                     job_key => 'delivery:' || id::text)
        FROM hooks
    )`;
}

/** The outbox of a checkpoint: each one gets its own message id, as several may sign the same head. */
export function checkpointOutbox(cp: SignedCheckpoint): Prisma.Sql {
  return webhookOutbox(`checkpoint-${cp.seq}-${randomUUID()}`, null, { "audit.checkpoint": { standard: checkpointBody(cp) } });
}
