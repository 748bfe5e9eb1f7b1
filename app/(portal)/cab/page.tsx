import type { Metadata } from "next";
import Link from "next/link";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { CabQueueRows, type CabRowView } from "@/components/cab/cab-queue-rows";
import { FilterSelect } from "@/components/ui/filter-select";
import { PageHeader } from "@/components/ui/page-header";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import { changeReference } from "@/lib/domain/change-visibility";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk-levels";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { APPROVER_ROLES } from "@/lib/domain/vote";
import { requireActor, requirePage } from "@/lib/server/auth/current-actor";
import { can } from "@/lib/domain/capabilities";
import { delegatorsOf } from "@/lib/server/delegations/active-delegations";
import { listDelegatedQueue } from "@/lib/server/changes/list-delegated-queue";
import { CAB_SORTS, parseCabQueueParams } from "@/lib/domain/cab-queue-params";
import { listCabQueue, type CabQueueRow } from "@/lib/server/changes/list-cab-queue";
import { queueVoteAction } from "./actions";
import { EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { pageConflicts } from "@/lib/server/schedule/load-schedule";
import { summarizeConflicts, type Conflict } from "@/lib/domain/schedule-conflicts";
import { formatUtc } from "@/lib/domain/utc-time";

export const metadata: Metadata = { title: "CAB queue" };
const CAB_SORT_LABELS = { risk: "Highest risk first", start: "Soonest planned start" };

export default async function CabQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // A delegate who is no CAB member still gets the queue of the people they vote for.
  const me = await requireActor();
  const principals = await delegatorsOf(me.id);
  const actor = principals.length ? me : await requirePage("/cab");
  const ownQueue = can(actor.roles, "cab.vote");
  const filters = parseCabQueueParams(await searchParams);
  const [{ rows, nextCursor }, delegated] = await Promise.all([
    ownQueue ? listCabQueue(actor, filters) : { rows: [] as CabQueueRow[], nextCursor: null },
    listDelegatedQueue(actor, principals, filters),
  ]);
  const conflicts = await pageConflicts.ofChanges([...rows, ...delegated.flatMap((d) => d.rows)].map((r) => r.id));
  const roles = APPROVER_ROLES.filter((r) => actor.roles.includes(r));
  return (
    <>
      <PageHeader
        title="CAB queue"
        description="Changes awaiting your vote. A rejection needs a reason; a security reviewer's rejection is a veto."
      />
      <Form role="search" className="mb-4 flex flex-wrap items-end gap-2" action="/cab">
        <FilterSelect name="sort" label="Sort by" value={filters.sort} options={CAB_SORTS} labels={CAB_SORT_LABELS} />
        <FilterSelect name="type" label="Type" value={filters.type} any="Any type" options={CHANGE_TYPES} labels={CHANGE_TYPE_LABELS} />
        <FilterSelect name="risk" label="Risk" value={filters.risk} any="Any risk" options={RISK_LEVELS} labels={RISK_LEVEL_LABELS} />
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">Configuration item</span>
          <input
            name="ci"
            defaultValue={filters.ci}
            placeholder="Name contains"
            className="w-44 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
        </label>
        <SearchButton>Apply</SearchButton>
      </Form>
      {!ownQueue ? null : rows.length === 0 ? (
        <EmptyState>
          {filters.type || filters.risk || filters.ci ? (
            <>
              Nothing awaiting your vote matches these filters.{" "}
              <Link href="/cab" className="text-indigo-700 underline">
                Clear the filters
              </Link>
              .
            </>
          ) : (
            <>
              Nothing awaits your vote. Changes appear here when they reach authorization and need one of your roles;{" "}
              <Link href="/notifications" className="text-indigo-700 underline">
                your notifications
              </Link>{" "}
              tell you when one does.
            </>
          )}
        </EmptyState>
      ) : (
        <CabQueueRows
          rows={rows.map((c) => toRowView(c, conflicts.get(c.id) ?? []))}
          roles={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          action={queueVoteAction}
        />
      )}
      <NextPage path="/cab" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
      {delegated.map(({ principal, rows: theirs }) => (
        <section key={principal.id} aria-labelledby={`for-${principal.id}`} className="mt-8">
          <h2 id={`for-${principal.id}`} className="mb-1 font-semibold">
            On behalf of {principal.name}
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            You are {principal.name}&apos;s delegate. A vote here is recorded as yours on their behalf and counts once, as theirs.
          </p>
          {theirs.length === 0 ? (
            <EmptyState>Nothing awaits {principal.name}&apos;s vote that you may cast.</EmptyState>
          ) : (
            <CabQueueRows
              rows={theirs.map((c) => toRowView(c, conflicts.get(c.id) ?? []))}
              roles={APPROVER_ROLES.filter((r) => principal.roles.includes(r)).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              action={queueVoteAction}
              onBehalfOf={{ id: principal.id, name: principal.name }}
            />
          )}
        </section>
      ))}
    </>
  );
}

function toRowView(c: CabQueueRow, conflicts: readonly Conflict[]): CabRowView {
  const { blocks, others } = summarizeConflicts(conflicts);
  return {
    id: c.id,
    title: c.title,
    reference: changeReference(c.number),
    type: c.type,
    riskLevel: c.risk_level,
    riskScore: c.risk_score,
    startsAt: c.planned_start ? formatUtc(c.planned_start) : null,
    requesterName: c.requester_name,
    votesIn: c.votes_in,
    conflicts: { blocks: blocks.map((b) => b.message), others },
  };
}
