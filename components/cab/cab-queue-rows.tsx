"use client";

import Link from "next/link";
import { RiskBadge } from "@/components/changes/risk-badge";
import { TypeBadge } from "@/components/changes/change-badges";
import { StepForm, VoteFields } from "@/components/changes/step-form";
import { ConflictSummary, type ConflictSummaryView } from "@/components/schedule/conflict-summary";
import type { ChangeType } from "@/lib/domain/change-types";
import type { RiskLevel } from "@/lib/domain/risk-levels";
import type { FormAction } from "@/lib/domain/form-state";

/** One change awaiting a vote, as plain data: what the row shows and nothing more. */
export type CabRowView = {
  id: string;
  title: string;
  reference: string;
  type: ChangeType;
  riskLevel: RiskLevel | null;
  riskScore: number | null;
  startsAt: string | null;
  requesterName: string;
  votesIn: number;
  conflicts: ConflictSummaryView;
};

/**
 * The queue's rows and their vote forms, rendered from plain data. As one client component the
 * page sends each row's data once; as server components every element of 25 rows was sent
 * twice (HTML and the React payload) and rendered three times (measured in docs/performance.md).
 */
export function CabQueueRows({
  rows,
  roles,
  action,
  onBehalfOf,
}: {
  rows: readonly CabRowView[];
  roles: readonly { value: string; label: string }[];
  action: FormAction;
  /** A delegate's rows: the votes are cast for this person. */
  onBehalfOf?: { id: string; name: string };
}) {
  return (
    <ul className="space-y-4">
      {rows.map((c) => (
        <li key={c.id} className="grid gap-4 rounded-lg bg-white p-4 ring-1 ring-slate-200 lg:grid-cols-[1fr_22rem]">
          <div>
            <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
              {c.title}
            </Link>
            <p className="font-mono text-xs text-slate-500">{c.reference}</p>
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              <TypeBadge type={c.type} /> <RiskBadge level={c.riskLevel} score={c.riskScore} />
              <span className="text-slate-600">{`starts ${c.startsAt ?? "not planned"} · requested by ${c.requesterName} · ${c.votesIn} vote${c.votesIn === 1 ? "" : "s"} in`}</span>
            </div>
            <div className="mt-3">
              <ConflictSummary summary={c.conflicts} href={`/changes/${c.id}#schedule`} />
            </div>
          </div>
          <StepForm
            action={action}
            hidden={onBehalfOf ? { changeId: c.id, onBehalfOf: onBehalfOf.id } : { changeId: c.id }}
            submitLabel={onBehalfOf ? `Vote for ${onBehalfOf.name}` : "Vote"}
          >
            <VoteFields roles={roles} legend={onBehalfOf ? `Decision on ${c.title} for ${onBehalfOf.name}` : `Decision on ${c.title}`} />
          </StepForm>
        </li>
      ))}
    </ul>
  );
}
