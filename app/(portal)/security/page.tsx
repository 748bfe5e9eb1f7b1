import type { Metadata } from "next";
import { parseSecurityQueueParams } from "@/lib/domain/queue-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { RiskBadge } from "@/components/changes/risk-badge";
import { StateBadge, TypeBadge } from "@/components/changes/change-badges";
import { buttonStyles } from "@/components/ui/button-styles";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { changeReference } from "@/lib/domain/change-visibility";
import { formatUtc } from "@/lib/domain/utc-time";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listCabQueue } from "@/lib/server/changes/list-cab-queue";
import { listSecurityQueue } from "@/lib/server/changes/list-work-queues";

export const metadata: Metadata = { title: "Security review" };

const Empty = ({ children }: { children: React.ReactNode }) => <p className="text-sm text-slate-600">{children}</p>;

export default async function SecurityQueuePage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/security");
  const { after, approvalsAfter } = parseSecurityQueueParams(await searchParams);
  const [items, approvals] = await Promise.all([
    listSecurityQueue(actor, after),
    listCabQueue(actor, { sort: "start", after: approvalsAfter }, ["security_reviewer"]),
  ]);
  const approvalsHref = (cursor?: string) => {
    const query = new URLSearchParams(
      Object.entries({ after, approvalsAfter: cursor }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return query.size ? `/security?${query}` : "/security";
  };
  return (
    <>
      <PageHeader
        title="Security review"
        description="Changes awaiting your security approval, and checklist items awaiting a security reviewer. Open a change to vote, to sign off with evidence, or to waive with a compensating control and the residual risk."
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Section title="Approvals awaiting your vote" id="approvals">
          {approvals.rows.length === 0 ? (
            <Empty>
              No change awaits your security approval. Changes appear here when they reach authorization and their policy asks for a
              security reviewer.
            </Empty>
          ) : (
            <ul className="-my-3 divide-y divide-slate-100">
              {approvals.rows.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
                  <div className="min-w-0">
                    <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                      {changeReference(c.number)} · {c.title}
                    </Link>
                    <p className="text-slate-600">
                      Requested by {c.requester_name}; planned {c.planned_start ? formatUtc(c.planned_start) : "—"}; {c.votes_in} vote
                      {c.votes_in === 1 ? "" : "s"} in.
                    </p>
                  </div>
                  <div className="flex items-center gap-2">
                    <TypeBadge type={c.type} />
                    <RiskBadge level={c.risk_level} score={c.risk_score} />
                  </div>
                </li>
              ))}
            </ul>
          )}
          {approvalsAfter || approvals.nextCursor ? (
            <nav aria-label="Approvals pagination" className="mt-4 flex justify-end gap-2">
              {approvalsAfter ? (
                <Link href={approvalsHref()} className={buttonStyles.secondary}>
                  First approvals
                </Link>
              ) : null}
              {approvals.nextCursor ? (
                <Link href={approvalsHref(approvals.nextCursor)} className={buttonStyles.secondary}>
                  More approvals
                </Link>
              ) : null}
            </nav>
          ) : null}
        </Section>
        <Section title="Checklist items awaiting sign-off" id="checklist">
          {items.rows.length === 0 ? (
            <Empty>No checklist item awaits a security reviewer. Items appear here when a change you are no party to is assessed.</Empty>
          ) : (
            <ul className="-my-3 divide-y divide-slate-100">
              {items.rows.map((item) => (
                <li key={item.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
                  <div className="min-w-0">
                    <p className="font-medium">{item.title}</p>
                    <p className="text-slate-600">Wants {item.evidenceWanted}.</p>
                    <p className="mt-1">
                      <Link href={`/changes/${item.change.id}`} className="text-indigo-700 hover:underline">
                        {changeReference(item.change.number)} · {item.change.title}
                      </Link>
                    </p>
                  </div>
                  <div className="flex items-center gap-2">
                    <TypeBadge type={item.change.type} />
                    <StateBadge state={item.change.state} />
                    <RiskBadge level={item.change.riskLevel} score={item.change.riskScore} />
                  </div>
                </li>
              ))}
            </ul>
          )}
          <NextPage path="/security" keep={{ approvalsAfter }} after={after} nextCursor={items.nextCursor} />
        </Section>
      </div>
    </>
  );
}
