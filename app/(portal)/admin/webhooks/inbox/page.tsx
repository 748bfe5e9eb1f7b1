import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { WEBHOOK_EVENT_LABELS, type WebhookEventType } from "@/lib/domain/webhook-events";
import { requireCapability } from "@/lib/server/auth/current-actor";
import { demoReceiverEnabled, listDemoReceipts } from "@/lib/server/webhooks/demo-receiver";

export const metadata: Metadata = { title: "Webhook inbox" };

const utc = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
const typeLabel = (type: string | null) =>
  type === null ? "Unknown type" : type === "webhook.test" ? "Test event" : (WEBHOOK_EVENT_LABELS[type as WebhookEventType] ?? type);

/** Pretty JSON when it is JSON, else the text as it came. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default async function WebhookInboxPage() {
  // Beside /admin/webhooks, under the same capability; not a navigation entry of its own.
  const actor = await requireCapability("users.manage");
  const [enabled, receipts] = await Promise.all([demoReceiverEnabled(), listDemoReceipts(actor)]);
  return (
    <>
      <PageHeader
        title="Webhook inbox"
        description="The demo's own webhook receiver: it checks every request's Standard Webhooks signature with the standardwebhooks library and the subscription's secret, as any receiver would, keeps what verified, and counts a webhook-id sent again instead of keeping it twice."
      />
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          {enabled ? <Badge tone="good">Receiving</Badge> : <Badge tone="bad">Off</Badge>}{" "}
          {enabled ? (
            <>
              Runs because <code>npm start</code> started the demo.
            </>
          ) : (
            <>
              Runs only when <code>npm start</code> starts the demo; anywhere else it answers 404.
            </>
          )}{" "}
          <Link href="/admin/webhooks" className="text-indigo-700 underline">
            Subscriptions and their delivery logs
          </Link>
        </p>
        {receipts.length === 0 ? (
          <EmptyState>Nothing received yet.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {receipts.map((r) => (
              <li key={r.id} className="rounded-lg bg-white ring-1 ring-slate-200" data-testid="webhook-receipt">
                <details>
                  <summary className="cursor-pointer px-4 py-3">
                    <span className="font-medium">{typeLabel(r.eventType)}</span> <Badge tone="good">Signature verified</Badge>
                    {r.timesReceived > 1 ? <Badge tone="warn">{`Received ${r.timesReceived} times, kept once`}</Badge> : null}
                    <span className="block text-sm text-slate-600">
                      For {r.subscription.name} · {utc(r.firstReceivedAt)}
                    </span>
                  </summary>
                  <div className="space-y-2 border-t border-slate-200 px-4 py-3">
                    <p className="text-xs break-all text-slate-500">
                      webhook-id <code>{r.webhookId}</code>
                      {r.timesReceived > 1 ? ` · last ${utc(r.lastReceivedAt)}` : ""}
                    </p>
                    <pre className="overflow-x-auto text-xs whitespace-pre-wrap" data-testid="webhook-receipt-body">
                      {pretty(r.body)}
                    </pre>
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
