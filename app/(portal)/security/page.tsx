import type { Metadata } from "next";
import { parseWorkQueueParams } from "@/lib/domain/queue-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { RiskBadge } from "@/components/changes/risk-badge";
import { StateBadge, TypeBadge } from "@/components/changes/change-badges";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { changeReference } from "@/lib/domain/change-visibility";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listSecurityQueue } from "@/lib/server/changes/list-work-queues";
import { EmptyState } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "Security review" };

export default async function SecurityQueuePage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/security");
  const { after } = parseWorkQueueParams(await searchParams);
  const { rows, nextCursor } = await listSecurityQueue(actor, after);
  return (
    <>
      <PageHeader title="Security review" description="Checklist items awaiting a security reviewer. Open the change to sign off with evidence, or waive with a compensating control and the residual risk." />
      {rows.length === 0 ? (
        <EmptyState>No checklist item awaits a security reviewer.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
          {rows.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
              <div>
                <p className="font-medium">{item.title}</p>
                <p className="text-slate-600">Wants {item.evidenceWanted}.</p>
                <p className="mt-1"><Link href={`/changes/${item.change.id}`} className="text-indigo-700 hover:underline">{changeReference(item.change.number)} · {item.change.title}</Link></p>
              </div>
              <div className="flex items-center gap-2"><TypeBadge type={item.change.type} /><StateBadge state={item.change.state} /><RiskBadge level={item.change.riskLevel} score={item.change.riskScore} /></div>
            </li>
          ))}
        </ul>
      )}
      <NextPage path="/security" after={after} nextCursor={nextCursor} />
    </>
  );
}
