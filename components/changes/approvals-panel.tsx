import { Badge } from "@/components/ui/badge";
import { Section } from "@/components/ui/section";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { decideVote, type Principal } from "@/lib/domain/decide-vote";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { APPROVER_ROLES } from "@/lib/domain/vote";
import type { FormAction } from "@/lib/domain/form-state";
import type { ChangePageDetail } from "@/lib/server/changes/get-change";
import { StepForm, VoteFields } from "./step-form";

const DECISION_TONE = { approve: "good", reject: "bad", abstain: "neutral" } as const;

/** Which approvals the policy asks for and why, the votes so far, and the viewer's vote form when they may vote. */
export function ApprovalsPanel({
  facts,
  change,
  actor,
  voteAction,
  principals = [],
}: {
  facts: ChangeFacts;
  change: ChangePageDetail;
  actor: ActorFacts;
  voteAction: FormAction;
  /** The people the viewer is the delegate of right now: they may vote for them. */
  principals?: readonly Principal[];
}) {
  const requirement = requiredApprovals(facts);
  const evaluation = evaluateVotes(requirement, facts.votes, facts);
  const votingRoles = APPROVER_ROLES.filter((role) => decideVote(facts, actor, { role, decision: "approve", comment: "" }).allowed);
  // An approver who may not vote here is told why (their own change, already voted, ...).
  const heldRoles = APPROVER_ROLES.filter((role) => actor.roles.includes(role) && requirement.rules.some((r) => r.role === role));
  const refusal =
    facts.state === "authorization" && votingRoles.length === 0 && heldRoles.length > 0
      ? decideVote(facts, actor, { role: heldRoles[0]!, decision: "approve", comment: "" })
      : null;
  const forOthers = principals.flatMap((p) => {
    const roles = APPROVER_ROLES.filter((role) => decideVote(facts, actor, { role, decision: "approve", comment: "" }, p).allowed);
    return roles.length ? [{ principal: p, roles }] : [];
  });
  const tone = evaluation.status === "satisfied" ? "good" : evaluation.status === "rejected" ? "bad" : "warn";
  return (
    <Section title="Approvals">
      <h3 className="text-sm font-medium text-slate-700">Why these approvers</h3>
      {requirement.preApproved ? (
        <p className="mt-1 text-sm text-slate-600">{requirement.summary}</p>
      ) : (
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
          {requirement.rules.map((rule) => (
            <li key={rule.role}>
              {rule.count} × {ROLE_LABELS[rule.role]}: {rule.reason}
            </li>
          ))}
        </ul>
      )}
      {facts.approvalRound > 0 ? (
        <p className="mt-3 text-sm">
          <Badge tone={tone}>Round {facts.approvalRound}</Badge> <span className="text-slate-700">{evaluation.summary}</span>
        </p>
      ) : null}
      <h3 className="mt-4 text-sm font-medium text-slate-700">Votes</h3>
      {change.votes.length === 0 ? (
        <p className="text-sm text-slate-500">No votes yet.</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100 text-sm">
          {change.votes.map((v) => (
            <li key={v.id} className="py-1.5">
              <Badge tone={DECISION_TONE[v.decision]}>{v.decision}</Badge> <span className="font-medium">{v.voter.name}</span>
              {v.onBehalfOf ? <span className="text-slate-700"> on behalf of {v.onBehalfOf.name}</span> : null}
              <span className="text-slate-500">
                {" "}
                as {ROLE_LABELS[v.role]} · round {v.round.number}
              </span>
              {v.comment ? <p className="text-slate-700">“{v.comment}”</p> : null}
            </li>
          ))}
        </ul>
      )}
      {evaluation.ignored.length ? (
        <p className="mt-2 text-xs text-slate-500">Not counted: {evaluation.ignored.map((i) => i.why).join("; ")}.</p>
      ) : null}
      {refusal && !refusal.allowed ? (
        <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          You cannot vote on this change: {refusal.reasons.join(" ")}
        </p>
      ) : null}
      {votingRoles.length ? (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <h3 className="mb-2 text-sm font-medium text-slate-700">Your vote</h3>
          <StepForm action={voteAction} hidden={{ changeId: facts.id }} submitLabel="Cast vote">
            <VoteFields
              roles={votingRoles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              legend="Decision"
              commentHint="A rejection needs a reason."
            />
          </StepForm>
        </div>
      ) : null}
      {forOthers.map(({ principal, roles }) => (
        <div key={principal.id} className="mt-4 border-t border-slate-100 pt-4">
          <h3 className="mb-2 text-sm font-medium text-slate-700">Vote on behalf of {principal.name}</h3>
          <StepForm
            action={voteAction}
            hidden={{ changeId: facts.id, onBehalfOf: principal.id }}
            submitLabel={`Cast vote for ${principal.name}`}
          >
            <VoteFields
              roles={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
              legend={`Decision for ${principal.name}`}
              commentHint="Recorded as cast by you on their behalf; it counts as their vote."
            />
          </StepForm>
        </div>
      ))}
    </Section>
  );
}
