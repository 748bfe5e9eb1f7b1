import type { Metadata } from "next";
import Link from "next/link";
import { DELIVERY_LABELS, DELIVERY_TONES, DeliveryProgressCells, utc } from "@/components/deliveries/delivery-cells";
import { Badge } from "@/components/ui/badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { WebhookButtonForm } from "@/components/webhooks/webhook-button-form";
import { WebhookForm } from "@/components/webhooks/webhook-form";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_FORMAT_LABELS, type WebhookEventType, type WebhookFormat } from "@/lib/domain/webhook-events";
import { requirePage } from "@/lib/server/auth/current-actor";
import { demoReceiverEnabled } from "@/lib/server/webhooks/demo-receiver";
import { listWebhookSubscriptions } from "@/lib/server/webhooks/list-subscriptions";
import { retryDeliveryAction } from "../deliveries/actions";
import { createWebhookAction, deleteWebhookAction, rotateWebhookSecretAction, testWebhookAction, updateWebhookAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const eventLabel = (kind: string) => (kind === "webhook.test" ? "Test event" : (WEBHOOK_EVENT_LABELS[kind as WebhookEventType] ?? kind));

export default async function WebhooksPage() {
  const actor = await requirePage("/admin/webhooks");
  const [subscriptions, demoReceiver] = await Promise.all([listWebhookSubscriptions(actor), demoReceiverEnabled()]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Systems the portal tells what happened, by signed HTTP POST (Standard Webhooks). Each message is queued with the audit event it announces, retried with growing delays, and dead after its last attempt."
      />
      <div className="space-y-6">
        {demoReceiver ? (
          <p className="text-sm text-slate-700">
            The demo runs its own receiver, which verifies each signature:{" "}
            <Link href="/admin/webhooks/inbox" className="text-indigo-700 underline">
              see what it received
            </Link>
            .
          </p>
        ) : null}
        {subscriptions.length === 0 ? <EmptyState>No webhook subscriptions yet. Add one below.</EmptyState> : null}
        {subscriptions.map((s) => (
          <Section key={s.id} id={`webhook-${s.id}`} title={s.name}>
            <div className="space-y-4" data-testid="webhook-subscription">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                {s.active ? <Badge tone="good">Sending</Badge> : <Badge tone="bad">Paused</Badge>}
                <Badge tone="info">{WEBHOOK_FORMAT_LABELS[s.format as WebhookFormat] ?? s.format}</Badge>
                <code className="break-all text-slate-700">{s.url}</code>
              </div>
              <p className="text-sm text-slate-700">
                <span className="font-medium">Events:</span> {s.eventTypes.map((t) => eventLabel(t)).join(", ")}
              </p>
              {s.previousSecretExpiresAt && s.previousSecretExpiresAt > now ? (
                <p className="text-sm text-amber-800">
                  Rotation under way: the previous secret also signs until {utc(s.previousSecretExpiresAt)}.
                </p>
              ) : null}
              <div className="flex flex-wrap items-start gap-3">
                <WebhookButtonForm action={testWebhookAction} subscriptionId={s.id} label="Send test event" pendingLabel="Queuing…" />
                <WebhookButtonForm
                  action={rotateWebhookSecretAction}
                  subscriptionId={s.id}
                  label="Rotate secret"
                  pendingLabel="Rotating…"
                  confirm={{
                    title: `Rotate the secret of ${s.name}?`,
                    body: "A new secret is made and shown once. For 24 hours both secrets sign every message, so the receiver can switch without missing one.",
                    confirmLabel: "Rotate",
                    variant: "secondary",
                  }}
                />
                <WebhookButtonForm
                  action={deleteWebhookAction}
                  subscriptionId={s.id}
                  label="Delete"
                  pendingLabel="Deleting…"
                  confirm={{
                    title: `Delete ${s.name}?`,
                    body: "It stops receiving messages at once, and its delivery log goes with it. The audit log keeps the history.",
                    confirmLabel: "Delete",
                  }}
                />
              </div>
              <details className="rounded-md ring-1 ring-slate-200">
                <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-indigo-700">Edit</summary>
                <div className="max-w-2xl p-3">
                  <WebhookForm action={updateWebhookAction} initial={{ subscriptionId: s.id, ...s }} />
                </div>
              </details>
              {s.deliveries.length === 0 ? (
                <p className="text-sm text-slate-500">Nothing sent yet.</p>
              ) : (
                <DataTable label={`Delivery log of ${s.name}`} headers={["Event", "Status", "Attempts", "When", ""]}>
                  {s.deliveries.map((d) => (
                    <tr key={d.id} className="align-top" data-testid="webhook-delivery">
                      <td className="px-4 py-2.5">
                        <p className="font-medium">{eventLabel(d.kind)}</p>
                        <p className="text-xs text-slate-500">
                          <code title="The webhook-id a receiver deduplicates on">{d.messageKey}</code>
                        </p>
                        {d.lastError ? <p className="mt-1 text-xs text-rose-800">Last error: {d.lastError}</p> : null}
                      </td>
                      <td className="px-4 py-2.5">
                        <Badge tone={DELIVERY_TONES[d.status]}>{DELIVERY_LABELS[d.status]}</Badge>
                        {d.responseStatus ? <span className="block text-xs text-slate-500">HTTP {d.responseStatus}</span> : null}
                      </td>
                      <DeliveryProgressCells delivery={d} retry={retryDeliveryAction} />
                    </tr>
                  ))}
                </DataTable>
              )}
            </div>
          </Section>
        ))}
        <Section title="New subscription">
          <div className="max-w-2xl">
            <WebhookForm action={createWebhookAction} />
          </div>
        </Section>
      </div>
    </>
  );
}
