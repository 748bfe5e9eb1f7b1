import type { Metadata } from "next";
import Link from "next/link";
import { RiskBadge } from "@/components/changes/risk-badge";
import { TypeBadge } from "@/components/changes/change-badges";
import { StepForm, StepTextArea } from "@/components/changes/step-form";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import { changeReference } from "@/lib/domain/change-visibility";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk-levels";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { APPROVER_ROLES } from "@/lib/domain/vote";
import { requirePage } from "@/lib/server/auth/current-actor";
import { cabQueueSchema, listCabQueue } from "@/lib/server/changes/list-cab-queue";
import { queueVoteAction } from "./actions";
import { EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { ConflictSummary } from "@/components/schedule/conflict-summary";
import { pageConflicts } from "@/lib/server/schedule/load-schedule";

export const metadata: Metadata = { title: "CAB queue" };
const select = "rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm";

export default async function CabQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePage("/cab");
  const parsed = cabQueueSchema.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : cabQueueSchema.parse({});
  const { rows, nextCursor } = await listCabQueue(actor, filters);
  const conflicts = await pageConflicts.ofChanges(rows.map((r) => r.id));
  const roles = APPROVER_ROLES.filter((r) => actor.roles.includes(r));
  return (
    <>
      <PageHeader title="CAB queue" description="Changes awaiting your vote. A rejection needs a reason; a security reviewer's rejection is a veto." />
      <form role="search" className="mb-4 flex flex-wrap items-end gap-2" action="/cab">
        <label className="text-sm"><span className="block text-xs font-medium text-slate-600">Sort by</span>
          <select name="sort" defaultValue={filters.sort} className={select}><option value="risk">Highest risk first</option><option value="start">Soonest planned start</option></select>
        </label>
        <label className="text-sm"><span className="block text-xs font-medium text-slate-600">Type</span>
          <select name="type" defaultValue={filters.type ?? ""} className={select}><option value="">Any type</option>{CHANGE_TYPES.map((t) => <option key={t} value={t}>{CHANGE_TYPE_LABELS[t]}</option>)}</select>
        </label>
        <label className="text-sm"><span className="block text-xs font-medium text-slate-600">Risk</span>
          <select name="risk" defaultValue={filters.risk ?? ""} className={select}><option value="">Any risk</option>{RISK_LEVELS.map((r) => <option key={r} value={r}>{RISK_LEVEL_LABELS[r]}</option>)}</select>
        </label>
        <label className="text-sm"><span className="block text-xs font-medium text-slate-600">Configuration item</span>
          <input name="ci" defaultValue={filters.ci} placeholder="Name contains" className="w-44 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
        </label>
        <button className={buttonStyles.secondary}>Apply</button>
      </form>
      {rows.length === 0 ? (
        <EmptyState>Nothing awaits your vote. Changes appear here when they reach authorization and need one of your roles.</EmptyState>
      ) : (
        <ul className="space-y-4">
          {rows.map((c) => (
            <li key={c.id} className="grid gap-4 rounded-lg bg-white p-4 ring-1 ring-slate-200 lg:grid-cols-[1fr_22rem]">
              <div>
                <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.title}</Link>
                <p className="font-mono text-xs text-slate-500">{changeReference(c.number)}</p>
                <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
                  <TypeBadge type={c.type} /> <RiskBadge level={c.risk_level} score={c.risk_score} />
                  <span className="text-slate-600">starts {c.planned_start?.toISOString().replace("T", " ").slice(0, 16)} UTC · requested by {c.requester_name} · {c.votes_in} vote{c.votes_in === 1 ? "" : "s"} in</span>
                </div>
                <div className="mt-3"><ConflictSummary conflicts={conflicts.get(c.id) ?? []} href={`/changes/${c.id}#schedule`} /></div>
              </div>
              <StepForm action={queueVoteAction} hidden={{ changeId: c.id }} submitLabel="Vote">
                {roles.length > 1 ? (
                  <label className="block text-sm">Vote as{" "}
                    <select name="role" className={select}>{roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}</select>
                  </label>
                ) : <input type="hidden" name="role" value={roles[0]} />}
                <fieldset className="flex gap-4 text-sm"><legend className="sr-only">Decision on {c.title}</legend>
                  {(["approve", "reject", "abstain"] as const).map((d) => <label key={d} className="flex items-center gap-1.5"><input type="radio" name="decision" value={d} defaultChecked={d === "approve"} /> {d[0]!.toUpperCase() + d.slice(1)}</label>)}
                </fieldset>
                <StepTextArea name="comment" label="Comment" />
              </StepForm>
            </li>
          ))}
        </ul>
      )}
      <NextPage path="/cab" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
    </>
  );
}
