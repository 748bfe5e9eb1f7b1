import type { Metadata } from "next";
import Link from "next/link";
import { DELIVERY_LABELS, DELIVERY_TONES, DeliveryProgressCells } from "@/components/deliveries/delivery-cells";
import { Badge } from "@/components/ui/badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { DELIVERY_STATUSES, listDeliveries } from "@/lib/server/deliveries/list-deliveries";
import { retryDeliveryAction } from "./actions";

export const metadata: Metadata = { title: "Deliveries" };

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const actor = await requirePage("/admin/deliveries");
  const wanted = (await searchParams).status;
  const status = DELIVERY_STATUSES.find((s) => s === wanted);
  const { rows, byStatus } = await listDeliveries(actor, status);
  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every mail the portal sends goes through the job queue: queued in the same transaction as what it announces, retried with growing delays, and dead after its last attempt. A dead message waits here for you to retry it."
      />
      <nav aria-label="Delivery status" className="mb-4 flex flex-wrap gap-2 text-sm">
        <Link href="/admin/deliveries" className={`rounded-md px-2 py-1 ring-1 ring-slate-200 ${status ? "" : "bg-slate-900 text-white"}`}>
          All
        </Link>
        {DELIVERY_STATUSES.map((s) => (
          <Link
            key={s}
            href={`/admin/deliveries?status=${s}`}
            aria-current={status === s ? "page" : undefined}
            className={`rounded-md px-2 py-1 ring-1 ring-slate-200 ${status === s ? "bg-slate-900 text-white" : ""}`}
          >
            {DELIVERY_LABELS[s]} <span data-testid={`count-${s}`}>{byStatus[s]}</span>
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState>No deliveries{status ? ` ${DELIVERY_LABELS[status].toLowerCase()}` : ""} yet.</EmptyState>
      ) : (
        <DataTable label="Deliveries" headers={["Message", "To", "Status", "Attempts", "When", ""]}>
          {rows.map((d) => (
            <tr key={d.id} className="align-top" data-testid="delivery-row">
              <td className="px-4 py-2.5">
                <p className="font-medium">{d.subject}</p>
                <p className="text-xs text-slate-500">
                  <code title="The Message-ID a receiver deduplicates on">{d.messageKey}</code>
                  {d.changeId ? (
                    <>
                      {" · "}
                      <Link href={`/changes/${d.changeId}`} className="text-indigo-700 underline">
                        change
                      </Link>
                    </>
                  ) : null}
                </p>
                {d.lastError ? <p className="mt-1 text-xs text-rose-800">Last error: {d.lastError}</p> : null}
              </td>
              <td className="px-4 py-2.5 text-slate-700">{d.target}</td>
              <td className="px-4 py-2.5">
                <Badge tone={DELIVERY_TONES[d.status]}>{DELIVERY_LABELS[d.status]}</Badge>
                {d.status === "sent" && d.transport === "mailbox" ? (
                  <span className="block text-xs text-slate-500">to the dev mailbox</span>
                ) : null}
              </td>
              <DeliveryProgressCells delivery={d} retry={retryDeliveryAction} />
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
