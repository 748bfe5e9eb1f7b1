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
import { listImplementerWork } from "@/lib/server/changes/list-work-queues";
import { EmptyState } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "My work" };
const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) : "—");

export default async function WorkPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/work");
  const { after } = parseWorkQueueParams(await searchParams);
  const { rows, nextCursor } = await listImplementerWork(actor, after);
  return (
    <>
      <PageHeader
        title="My work"
        description="Changes assigned to you. Open one to start it when its window opens and to record the outcome."
      />
      {rows.length === 0 ? (
        <EmptyState>
          No change is assigned to you right now. The change manager assigns implementers; the{" "}
          <Link href="/calendar" className="text-indigo-700 underline">
            change calendar
          </Link>{" "}
          shows what is scheduled.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
          {rows.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
              <div>
                <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                  {c.title}
                </Link>
                <p className="font-mono text-xs text-slate-500">{changeReference(c.number)}</p>
                <p className="text-slate-600">
                  Window {when(c.plannedStart)} → {when(c.plannedEnd)} UTC
                </p>
              </div>
              <div className="flex items-center gap-2">
                <TypeBadge type={c.type} />
                <StateBadge state={c.state} />
                <RiskBadge level={c.riskLevel} score={c.riskScore} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <NextPage path="/work" after={after} nextCursor={nextCursor} />
    </>
  );
}
