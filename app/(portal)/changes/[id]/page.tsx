import { ArtifactsPanel } from "@/components/changes/artifacts-panel";
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { AuditTimeline } from "@/components/changes/audit-timeline";
import { StateBadge, TypeBadge } from "@/components/changes/change-badges";
import { ChangeFields } from "@/components/changes/change-fields";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { changeReference } from "@/lib/domain/change-visibility";
import { readChangeTimeline } from "@/lib/server/audit/read-change-timeline";
import { requireActor } from "@/lib/server/auth/current-actor";
import { getChangeForViewer } from "@/lib/server/changes/get-change";
import { HIDDEN } from "@/lib/server/auth/viewer-read";
import { listChangeComments } from "@/lib/server/changes/list-change-comments";
import { parseChangePageParams } from "@/lib/domain/change-list-params";
import type { Params } from "@/lib/domain/search-params";
import { HistoryPager } from "@/components/changes/history-pager";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { pageChangeFacts } from "@/lib/server/changes/load-change-facts";
import { listImplementers } from "@/lib/server/users/list-implementers";
import { ActionsPanel } from "@/components/changes/actions-panel";
import { ApprovalsPanel } from "@/components/changes/approvals-panel";
import { delegatorsOf } from "@/lib/server/delegations/active-delegations";
import { ChecklistPanel } from "@/components/changes/checklist-panel";
import { RiskPanel } from "@/components/changes/risk-panel";
import {
  approveFreezeExceptionAction,
  assignImplementerAction,
  changeActionAction,
  commentAction,
  requestFreezeExceptionAction,
  rescheduleAction,
  signOffAction,
  voteAction,
  waiveAction,
} from "./actions";
import { BlastRadiusPanel } from "@/components/changes/blast-radius-panel";
import { SchedulePanel } from "@/components/changes/schedule-panel";
import { ReviewDeadlineNotice } from "@/components/changes/review-deadline-notice";
import { loadBlastRadius } from "@/lib/server/cis/load-blast-radius";
import { pageConflicts } from "@/lib/server/schedule/load-schedule";
import { CommentsPanel } from "@/components/changes/comments-panel";
import { DeploymentsPanel } from "@/components/changes/deployments-panel";
import { listChangeDeployments } from "@/lib/server/deployments/list-change-deployments";
import { decideEdit } from "@/lib/domain/decide-edit";
import { CHANGE_ACTION_LABELS, type ChangeAction } from "@/lib/domain/change-actions";

export const metadata: Metadata = { title: "Change" };

const DONE: Record<string, string> = {
  commented: "Comment added.",
  vote: "Your vote is recorded.",
  signed: "Signed off.",
  waived: "Waiver recorded with its compensating control and residual risk.",
  assigned: "Implementer assigned.",
  exception_requested: "Freeze exception requested. A change manager and a security reviewer must both approve it.",
  exception_approved: "Your approval of the freeze exception is recorded.",
  rescheduled: "Rescheduled. The conflicts below are for the new window.",
};

/** What the step just done says; a delegate's vote names whose it is (their newest vote on behalf of someone). */
function doneMessage(
  done: string,
  votes: readonly { voterId: string; castAt: Date; onBehalfOf: { name: string } | null }[],
  viewerId: string,
): string {
  if (done === "vote_on_behalf") {
    const cast = votes.filter((v) => v.voterId === viewerId && v.onBehalfOf).sort((a, b) => b.castAt.getTime() - a.castAt.getTime())[0];
    return cast ? `Your vote on behalf of ${cast.onBehalfOf!.name} is recorded.` : DONE.vote!;
  }
  if (Object.hasOwn(DONE, done)) return DONE[done]!;
  return Object.hasOwn(CHANGE_ACTION_LABELS, done) ? `${CHANGE_ACTION_LABELS[done as ChangeAction]}: done.` : "Done.";
}

export default async function ChangePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const actor = await requireActor();
  const { id } = await params;
  const change = await getChangeForViewer(actor, id);
  if (!change) notFound();
  if (change === HIDDEN) forbidden();
  const flags = parseChangePageParams(await searchParams);
  const { eventsBefore, commentsBefore } = flags;
  const schedule = pageConflicts.of(change);
  const [timeline, thread, facts, { conflicts }, blast] = await Promise.all([
    readChangeTimeline(actor, change.id, eventsBefore),
    listChangeComments(actor, change.id, commentsBefore),
    schedule.then((s) => pageChangeFacts(change, s.freeze)),
    schedule,
    loadBlastRadius(change.cis.map((c) => c.ciId)),
  ]);
  const { version, ...changeFacts } = facts;
  const deployments = await listChangeDeployments(actor, change);
  const viewer = { id: actor.id, roles: actor.roles };
  const canEdit = decideEdit(changeFacts, viewer, []).allowed || decideEdit(changeFacts, viewer, ["artifacts"]).allowed;
  const principals = changeFacts.state === "authorization" ? await delegatorsOf(actor.id) : [];
  // The picker's list is read only for someone who may assign (the panel asks the same rule).
  const implementers = decideAssignImplementer(changeFacts, viewer, { id: "anyone", roles: ["implementer"] }, null).allowed
    ? await listImplementers()
    : [];
  const href = (cursors: { eventsBefore?: string | number | null; commentsBefore?: string | null }, anchor: string) => {
    const query = new URLSearchParams(
      Object.entries(cursors)
        .filter((e): e is [string, string | number] => e[1] !== null && e[1] !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    return `/changes/${change.id}${query.size ? `?${query}` : ""}#${anchor}`;
  };
  return (
    <>
      <p className="mb-2 font-mono text-sm text-slate-500">{changeReference(change.number)}</p>
      <PageHeader
        title={change.title}
        description={`Requested by ${change.requester.name} on ${change.createdAt.toISOString().slice(0, 10)}`}
        actions={
          <div className="flex items-center gap-2">
            <TypeBadge type={change.type} />
            <StateBadge state={change.state} />
            {canEdit ? (
              <Link href={`/changes/${change.id}/edit`} className={buttonStyles.secondary}>
                {change.state === "draft" ? "Edit draft" : decideEdit(changeFacts, viewer, []).allowed ? "Edit" : "Change artifacts"}
              </Link>
            ) : null}
          </div>
        }
      />
      {flags.created || flags.saved || flags.done ? (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          {flags.created
            ? "Draft created. Complete it and submit it when it is ready."
            : flags.saved
              ? "Draft saved."
              : doneMessage(flags.done!, change.votes, actor.id)}
        </p>
      ) : null}
      <ReviewDeadlineNotice change={change} now={new Date()} />
      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <RiskPanel score={change.riskScore} level={change.riskLevel} stored={change.riskFactors} />
          <ApprovalsPanel facts={changeFacts} change={change} actor={viewer} voteAction={voteAction} principals={principals} />
          <ChecklistPanel
            facts={changeFacts}
            change={change}
            actor={viewer}
            signOffAction={signOffAction}
            waiveAction={waiveAction}
            now={new Date()}
          />
          <SchedulePanel
            facts={changeFacts}
            version={version}
            actor={viewer}
            conflicts={conflicts}
            exception={change.freezeException}
            requestAction={requestFreezeExceptionAction}
            approveAction={approveFreezeExceptionAction}
            rescheduleAction={rescheduleAction}
          />
          <ArtifactsPanel change={change} scan={changeFacts.scanPolicy} />
          <BlastRadiusPanel blast={blast} />
          <DeploymentsPanel deployments={deployments} />
          <ChangeFields change={change} />
        </div>
        <div className="space-y-6">
          <ActionsPanel
            facts={changeFacts}
            version={version}
            actor={viewer}
            changeAction={changeActionAction}
            assignAction={assignImplementerAction}
            implementers={implementers}
          />
          <CommentsPanel
            changeId={change.id}
            comments={thread.comments}
            earlierHref={thread.earlierBefore ? href({ eventsBefore, commentsBefore: thread.earlierBefore }, "comments-heading") : null}
            latestHref={commentsBefore ? href({ eventsBefore }, "comments-heading") : null}
            commentAction={commentAction}
          />
          <Section title="Timeline">
            <HistoryPager
              what="events"
              earlierHref={
                timeline.earlierBefore ? href({ eventsBefore: timeline.earlierBefore, commentsBefore }, "timeline-heading") : null
              }
              latestHref={eventsBefore ? href({ commentsBefore }, "timeline-heading") : null}
            />
            <AuditTimeline
              events={timeline.events.map(({ seq, action, actorEmail, occurredAt, reason, hash }) => ({
                seq,
                action,
                actorEmail,
                occurredAt,
                reason,
                hash,
              }))}
            />
          </Section>
        </div>
      </div>
    </>
  );
}
