import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import {
  newWebhookSecret,
  SECRET_ROTATION_HOURS,
  webhookSubscriptionSchema,
  type WebhookSubscriptionInput,
} from "@/lib/domain/webhook-subscription";
import { renderWebhookBody } from "@/lib/domain/webhook-payload";
import type { WebhookFormat } from "@/lib/domain/webhook-events";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import { addDeliveryJobs, TASKS } from "../jobs/add-jobs";
import { webhookLimits } from "./deliver-webhook";
import { urlProblem } from "./post-webhook";
import { changeUrl } from "../audit/webhook-outbox";

const ENTITY = "webhook_subscription";
const guard = (actor: Actor | null, what: string) =>
  refuseUnlessCan(actor, "users.manage", `webhooks.${what}`, "Only an admin can manage webhooks.");
const idSchema = z.object({ subscriptionId: z.uuid("Unknown subscription.") });

function parseSubscription(input: unknown): { refused: Result<never> } | { data: WebhookSubscriptionInput } {
  const parsed = safeParseInput(webhookSubscriptionSchema, input);
  if (!parsed.success) return { refused: refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues)) };
  const problem = urlProblem(parsed.data.url, webhookLimits().allowed);
  if (problem) return { refused: refuse("Check the highlighted fields.", { url: problem }) };
  return { data: parsed.data };
}

/** What the audit log records of a subscription: never its secret. */
const recorded = (s: { name: string; url: string; eventTypes: string[]; format: string; active: boolean }) => ({
  name: s.name,
  url: s.url,
  eventTypes: s.eventTypes,
  format: s.format,
  active: s.active,
});

/** A new subscription and its secret, which the admin sees this once. */
export async function createWebhookSubscription(
  actor: Actor | null,
  input: unknown,
): Promise<Result<{ id: string; secret: string; message: string }>> {
  const refused = await guard(actor, "create");
  if (refused) return refused;
  const parsed = parseSubscription(input);
  if ("refused" in parsed) return parsed.refused;
  const secret = newWebhookSecret();
  const created = await inTransaction(async (tx) => {
    const row = await tx.webhookSubscription.create({ data: { ...parsed.data, secret, createdById: actor!.id }, select: { id: true } });
    await appendAuditEvent(tx, { actor, action: "webhook.created", entityType: ENTITY, entityId: row.id, after: recorded(parsed.data) });
    return row;
  });
  return ok({ id: created.id, secret, message: `${parsed.data.name} is subscribed. Copy its signing secret now.` });
}

export async function updateWebhookSubscription(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await guard(actor, "update");
  if (refused) return refused;
  const id = safeParseInput(idSchema, input);
  if (!id.success) return refuse("That subscription was not understood.");
  const parsed = parseSubscription(input);
  if ("refused" in parsed) return parsed.refused;
  return inTransaction(async (tx) => {
    const before = await tx.webhookSubscription.findUnique({ where: { id: id.data.subscriptionId } });
    if (!before) return refuse("That subscription no longer exists.");
    await tx.webhookSubscription.update({ where: { id: before.id }, data: { ...parsed.data, updatedAt: new Date() } });
    await appendAuditEvent(tx, {
      actor,
      action: "webhook.updated",
      entityType: ENTITY,
      entityId: before.id,
      before: recorded(before),
      after: recorded(parsed.data),
    });
    return ok({ message: `${parsed.data.name} is saved.` });
  });
}

/** A new secret; the previous one keeps signing (both signatures are sent) for SECRET_ROTATION_HOURS. */
export async function rotateWebhookSecret(actor: Actor | null, input: unknown): Promise<Result<{ secret: string; message: string }>> {
  const refused = await guard(actor, "rotate");
  if (refused) return refused;
  const id = safeParseInput(idSchema, input);
  if (!id.success) return refuse("That subscription was not understood.");
  const secret = newWebhookSecret();
  const until = new Date(Date.now() + SECRET_ROTATION_HOURS * 3_600_000);
  return inTransaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; name: string; secret: string }[]>`
      SELECT id, name, secret FROM webhook_subscriptions WHERE id = ${id.data.subscriptionId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row) return refuse("That subscription no longer exists.");
    await tx.webhookSubscription.update({
      where: { id: row.id },
      data: { secret, previousSecret: row.secret, previousSecretExpiresAt: until, updatedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "webhook.secret_rotated",
      entityType: ENTITY,
      entityId: row.id,
      after: { previousSecretSignsUntil: until.toISOString() },
    });
    return ok({
      secret,
      message: `${row.name} has a new secret. Until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC both secrets sign every message.`,
    });
  });
}

/** Queues a test event to the subscription, signed like any other; it shows in the delivery log. */
export async function sendTestWebhook(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await guard(actor, "test");
  if (refused) return refused;
  const id = safeParseInput(idSchema, input);
  if (!id.success) return refuse("That subscription was not understood.");
  return inTransaction(async (tx) => {
    const s = await tx.webhookSubscription.findUnique({ where: { id: id.data.subscriptionId } });
    if (!s) return refuse("That subscription no longer exists.");
    if (!s.active) return refuse("Turn the subscription on before testing it.");
    const occurredAt = new Date().toISOString();
    const body = renderWebhookBody(
      {
        type: "webhook.test",
        occurredAt,
        auditSeq: null,
        action: "webhook.test_sent",
        actorEmail: actor!.email,
        entityType: ENTITY,
        entityId: s.id,
        changeId: null,
        before: null,
        after: { subscription: s.name },
        reason: null,
        url: changeUrl(null),
      },
      s.format as WebhookFormat,
    );
    const delivery = await tx.delivery.create({
      data: {
        messageKey: `webhook.${s.id}.test-${Date.now()}-${randomUUID()}`,
        channel: "webhook",
        kind: "webhook.test",
        target: s.url,
        subject: "webhook.test",
        bodyText: body,
        bodyHtml: "",
        maxAttempts: env().DELIVERY_MAX_ATTEMPTS,
        subscriptionId: s.id,
      },
      select: { id: true },
    });
    await addDeliveryJobs(tx, TASKS.deliverWebhook, [delivery.id]);
    await appendAuditEvent(tx, {
      actor,
      action: "webhook.test_sent",
      entityType: ENTITY,
      entityId: s.id,
      after: { deliveryId: delivery.id },
    });
    return ok({ message: `A test event to ${s.name} is queued; it shows in the delivery log below.` });
  });
}

export async function deleteWebhookSubscription(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await guard(actor, "delete");
  if (refused) return refused;
  const id = safeParseInput(idSchema, input);
  if (!id.success) return refuse("That subscription was not understood.");
  return inTransaction(async (tx) => {
    const before = await tx.webhookSubscription.findUnique({ where: { id: id.data.subscriptionId } });
    if (!before) return refuse("That subscription no longer exists.");
    await tx.webhookSubscription.delete({ where: { id: before.id } });
    await appendAuditEvent(tx, { actor, action: "webhook.deleted", entityType: ENTITY, entityId: before.id, before: recorded(before) });
    return ok({ message: `${before.name} is deleted, with its delivery log.` });
  });
}
