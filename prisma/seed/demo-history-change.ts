// One back-dated change of the demo history: its life from draft to its end, step by step in
// time order, as the use cases would have written it (the same columns, rows and audit events),
// cut short where it would pass `cutoff` (the moment the live demo story begins).
import { applicableItems } from "../../lib/domain/checklist";
import type { ChangeFlags } from "../../lib/domain/change-flags";
import type { ChangeState } from "../../lib/domain/change-states";
import type { ChangeType } from "../../lib/domain/change-types";
import type { ImplementationOutcome } from "../../lib/domain/implementation-outcomes";
import type { RiskAssessment } from "../../lib/domain/risk";
import type { ApproverRole } from "../../lib/domain/vote";
import type { Json, PlannedEvent } from "../../scripts/lib/history/chained-event-log";
import { pgTextArray } from "../../scripts/lib/history/copy";
import type { Random } from "../../scripts/lib/history/random";

export type Person = { id: string; email: string; name: string };
export type Cast = Record<"requester" | "manager" | "cab" | "security" | "implementer" | "admin" | "lead", Person>;

/** How a change's life goes; the planner draws it, this file plays it. */
export type ChangePlan = {
  type: ChangeType;
  title: string;
  ciIds: string[];
  flags: ChangeFlags;
  risk: RiskAssessment;
  templateId: string | null;
  emergencyJustification: string | null;
  requester: Person;
  implementer: Person;
  /** The votes a full approval needs, by role, voters already chosen (never the requester or implementer). */
  approvers: { role: ApproverRole; voter: Person }[];
  createdAt: number;
  /** closed: the whole way; rework: one round returned, then the whole way; rejected; withdrawn; unreviewed: left in review. */
  fate: "closed" | "rework" | "rejected" | "withdrawn" | "unreviewed";
  outcome: ImplementationOutcome;
  /** Days after implementation the review is recorded (past REVIEW_DEADLINE_DAYS: a late review). */
  reviewAfterDays: number;
  plannedStart: number;
  plannedEnd: number;
  /** Finishes after its planned end (the "outside the approved window" report). */
  overruns: boolean;
  comments: { by: Person; body: string }[];
};

export type ChangeRows = {
  change: Record<string, unknown>;
  ciIds: string[];
  rounds: unknown[][];
  votes: unknown[][];
  checklist: unknown[][];
  comments: unknown[][];
  review: unknown[] | null;
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PLANS = {
  description: "Why and what, with the service owner's agreement.",
  justification: "Keeps the service supported, secure and within its capacity plan.",
  implementationPlan: "1. Announce in #ops. 2. Drain traffic. 3. Apply. 4. Verify dashboards and synthetic checks.",
  backoutPlan: "Restore the snapshot taken before the change and redeploy the previous release.",
  testPlan: "Rehearsed on staging; smoke tests and the service's health checks after the change.",
};

const NO_VERSION_BUMP = new Set(["change.created", "change.commented"]);

export type PlayContext = { cast: Cast; r: Random; uuid: () => string; cutoff: number; plan: (at: number, event: PlannedEvent) => void };

export function playChange(p: ChangePlan, { cast, r, uuid, cutoff, plan }: PlayContext): ChangeRows {
  const id = uuid();
  let clock = p.createdAt;
  let state = "draft" as ChangeState;
  let version = 1;
  let open = true;
  const later = (minMinutes: number, maxMinutes: number) => clock + r.int(minMinutes, maxMinutes) * MIN;
  // A step happens only before the cutoff; after it, the change stays as it was.
  const step = (at: number, fn: () => void): boolean => {
    if (!open || at >= cutoff) return (open = false);
    clock = at;
    fn();
    return true;
  };
  const event = (
    actor: Person,
    action: string,
    extra: { before?: Json; after?: Json; reason?: string | null; entityType?: string; entityId?: string } = {},
  ) => {
    // As in the app: creating a change starts it at version 1, and a comment is not a write to it.
    if (!NO_VERSION_BUMP.has(action)) version += 1;
    plan(clock, {
      actor,
      action,
      entityType: extra.entityType ?? "change",
      entityId: extra.entityId ?? id,
      changeId: id,
      before: extra.before ?? null,
      after: extra.after ?? null,
      reason: extra.reason ?? null,
    });
  };
  const move = (actor: Person, action: string, to: ChangeState, details: Record<string, Json> = {}, reason: string | null = null) => {
    event(actor, action, { before: { state }, after: { state: to, ...details }, reason });
    state = to;
  };

  const riskDetails = { riskLevel: p.risk.level, riskScore: p.risk.score };
  const row: Record<string, unknown> = {
    id,
    type: p.type,
    title: p.title,
    description: PLANS.description,
    justification: PLANS.justification,
    implementation_plan: PLANS.implementationPlan,
    backout_plan: PLANS.backoutPlan,
    test_plan: PLANS.testPlan,
    backout_tested: true,
    backout_tested_by_id: null,
    backout_tested_at: null,
    emergency_justification: p.emergencyJustification,
    requester_id: p.requester.id,
    implementer_id: null,
    template_id: p.templateId,
    ...flagColumns(p.flags),
    risk_score: null,
    risk_level: null,
    risk_factors: null,
    risk_assessed_at: null,
    approval_round: 0,
    rework_count: 0,
    outcome: null,
    outcome_notes: null,
    implementation_started_at: null,
    implemented_at: null,
    root_cause: null,
    created_at: new Date(p.createdAt),
    submitted_at: null,
    authorized_at: null,
    closed_at: null,
  };
  const rows: ChangeRows = { change: row, ciIds: p.ciIds, rounds: [], votes: [], checklist: [], comments: [], review: null };
  let roundId = "";
  const openRound = () => {
    row.approval_round = (row.approval_round as number) + 1;
    roundId = uuid();
    rows.rounds.push([roundId, id, row.approval_round, new Date(clock), null]);
  };
  const closeRound = () => {
    const round = rows.rounds.at(-1);
    if (round && round[4] === null) round[4] = new Date(clock);
  };
  const submit = () => {
    if (p.type !== "standard") openRound();
    // The risk below counts the backout as tested: a change manager recorded the test (never the requester).
    row.backout_tested_by_id = cast.manager.id;
    row.backout_tested_at = new Date(clock);
    row.submitted_at = new Date(clock);
    Object.assign(row, {
      risk_score: p.risk.score,
      risk_level: p.risk.level,
      risk_factors: { summary: p.risk.summary, factors: p.risk.factors },
      risk_assessed_at: new Date(clock),
    });
    const to = p.type === "standard" ? "scheduled" : p.type === "emergency" ? "authorization" : "submitted";
    if (p.type === "standard") row.authorized_at = new Date(clock);
    move(p.requester, "change.submitted", to, {
      ...(p.type === "standard" ? {} : { round: row.approval_round as number }),
      ...riskDetails,
    });
  };
  const vote = (voter: Person, role: ApproverRole, decision: "approve" | "reject", comment: string) => {
    rows.votes.push([uuid(), roundId, id, voter.id, role, decision, comment, new Date(clock)]);
    event(voter, "change.vote_cast", { after: { role, round: row.approval_round as number, decision }, reason: comment || null });
  };
  const items = applicableItems({ type: p.type, flags: p.flags, risk: p.risk });
  const signed = new Set<string>();
  const signItems = (which: "pre" | "rest" | "all") => {
    for (const item of items) {
      if (signed.has(item.key) || (which === "pre" && !item.preImplementation) || (which === "rest" && item.preImplementation)) continue;
      const waive = item.key === "secure_baseline" && r.chance(0.15);
      const signer = item.signerRole === "change_manager" ? cast.manager : cast.security;
      if (
        !step(p.type === "emergency" ? later(3, 15) : later(10, 240), () => {
          const evidence = `Checked: ${item.evidence} (ticket OPS-${r.int(2000, 4999)}).`;
          rows.checklist.push([
            uuid(),
            id,
            item.key,
            item.title,
            item.signerRole,
            item.evidence,
            item.preImplementation,
            waive ? "waived" : "signed",
            signer.id,
            new Date(clock),
            waive ? null : evidence,
            waive ? "Nightly configuration drift scan with alerting" : null,
            waive ? "Low: drift is found within 24 hours." : null,
          ]);
          if (waive)
            event(signer, "checklist.waived", {
              after: {
                key: item.key,
                title: item.title,
                residualRisk: "Low: drift is found within 24 hours.",
                compensatingControl: "Nightly configuration drift scan with alerting",
              },
              reason: "Nightly configuration drift scan with alerting",
            });
          else event(signer, "checklist.signed_off", { after: { key: item.key, title: item.title, evidence } });
        })
      )
        return false;
      signed.add(item.key);
    }
    return true;
  };

  const start = p.plannedStart;
  const plannedEnd = p.plannedEnd;
  row.planned_start = new Date(start);
  row.planned_end = new Date(plannedEnd);

  event(p.requester, "change.created", { after: { state: "draft", ...snapshot(p, row) } });
  // Filed, then submitted within the day (an emergency within minutes).
  step(p.type === "emergency" ? later(8, 25) : later(30, 600), submit);

  if (p.type === "normal" || p.type === "major") {
    const assess = () => step(later(60, 20 * 60), () => move(cast.manager, "change.assessment_started", "assessment", riskDetails));
    assess();
    if (p.fate === "withdrawn") {
      step(later(120, 30 * 60), () =>
        move(p.requester, "change.withdrawn", "cancelled", {}, "Superseded by a vendor fix; no longer needed."),
      );
      if (state === "cancelled") {
        closeRound();
        row.closed_at = new Date(clock);
      }
      return finish();
    }
    signItems("all");
    step(later(30, 300), () => move(cast.manager, "change.authorization_requested", "authorization"));
    if (p.fate === "rework") {
      const critic = p.approvers.find((a) => a.role === "cab_member") ?? p.approvers[0]!;
      step(later(3 * 60, 30 * 60), () =>
        vote(critic.voter, critic.role, "reject", "The backout plan does not say how the data written during the window is kept."),
      );
      step(later(60, 8 * 60), () => {
        move(
          cast.manager,
          "change.returned_for_rework",
          "draft",
          { round: row.approval_round as number, rework: true },
          "Say how data written during the window survives a backout, then resubmit.",
        );
        row.rework_count = 1;
        closeRound();
      });
      step(later(12 * 60, 48 * 60), () =>
        event(p.requester, "change.edited", {
          before: { backoutPlan: PLANS.backoutPlan },
          after: { backoutPlan: (row.backout_plan = `${PLANS.backoutPlan} Writes during the window are replayed from the queue.`) },
        }),
      );
      step(later(20, 240), submit);
      assess();
      step(later(30, 300), () => move(cast.manager, "change.authorization_requested", "authorization"));
    }
    if (p.fate === "rejected") {
      const critic =
        p.approvers.find((a) => a.role === "security_reviewer") ?? p.approvers.find((a) => a.role === "cab_member") ?? p.approvers[0]!;
      step(later(3 * 60, 30 * 60), () =>
        vote(critic.voter, critic.role, "reject", "The blast radius is larger than the plan admits; split the change."),
      );
      step(
        later(60, 20 * 60),
        () => (
          move(cast.manager, "change.rejected", "rejected", {}, "Rejected at CAB: split it into smaller changes."),
          closeRound(),
          (row.closed_at = new Date(clock))
        ),
      );
      return finish();
    }
    for (const a of p.approvers)
      step(later(2 * 60, 26 * 60), () =>
        vote(
          a.voter,
          a.role,
          "approve",
          r.pick(["", "", "Plan and backout look right.", "Fine outside business hours.", "Checked the dependency owners are told."]),
        ),
      );
    step(later(10, 120), () => assign());
    step(
      Math.max(clock + MIN, Math.min(later(30, 8 * 60), start - HOUR)),
      () => (
        move(cast.manager, "change.scheduled", "scheduled", { round: row.approval_round as number }),
        (row.authorized_at = new Date(clock)),
        closeRound()
      ),
    );
  } else if (p.type === "emergency") {
    for (const a of p.approvers)
      step(later(4, 25), () => vote(a.voter, a.role, "approve", "Approved for the incident; retrospective review to follow."));
    signItems("pre");
    step(later(2, 10), () => assign());
  } else {
    step(later(30, 180), () => assign());
  }

  if (!open) return finish();
  step(Math.max(clock + MIN, start + r.int(0, 10) * MIN), () => {
    move(p.implementer, "change.implementation_started", "implementing");
    row.implementation_started_at = new Date(clock);
    if (p.type === "emergency") {
      row.authorized_at = new Date(clock);
      closeRound();
    }
  });
  const failed = p.outcome === "failed" || p.outcome === "rolled_back";
  const done = p.overruns ? plannedEnd + r.int(20, 90) * MIN : Math.min(plannedEnd - 5 * MIN, later(failed ? 70 : 20, failed ? 150 : 110));
  step(Math.max(clock + MIN, done), () => {
    Object.assign(row, { outcome: p.outcome, outcome_notes: OUTCOME_NOTES[p.outcome], implemented_at: new Date(clock) });
    move(p.implementer, "change.outcome_recorded", "review", { outcome: p.outcome });
  });
  if (p.type === "emergency") signItems("rest");
  if (p.fate === "unreviewed" || state !== "review") return finish();
  for (const c of p.comments) step(later(30, 6 * 60), () => comment(c.by, c.body));
  step(Math.max(clock + MIN, (row.implemented_at as Date).getTime() + p.reviewAfterDays * DAY + r.int(0, 6 * 60) * MIN), () => {
    const rootCause = failed || p.type === "emergency" ? ROOT_CAUSES[p.outcome] : null;
    const securityValidation = p.type === "emergency" ? "Access logs reviewed for the incident window; emergency grants removed." : null;
    rows.review = [id, !failed, true, true, true, securityValidation, "Reviewed in the weekly CAB.", cast.manager.id, new Date(clock)];
    Object.assign(row, { root_cause: rootCause, closed_at: new Date(clock) });
    move(cast.manager, "change.closed", "closed");
  });
  return finish();

  function assign() {
    row.implementer_id = p.implementer.id;
    event(cast.manager, "change.implementer_assigned", { after: { implementerId: p.implementer.id, previousImplementerId: null } });
  }
  function comment(by: Person, body: string) {
    const commentId = uuid();
    rows.comments.push([commentId, id, by.id, body, new Date(clock)]);
    event(by, "change.commented", { entityType: "comment", entityId: commentId, after: { body } });
  }
  function finish(): ChangeRows {
    Object.assign(row, { state, version, updated_at: new Date(clock) });
    return rows;
  }
}

const OUTCOME_NOTES: Record<ImplementationOutcome, string> = {
  successful: "Health checks green; no alerts during or after the window.",
  successful_with_issues: "Done, but a dependent job needed a manual restart.",
  failed: "The change did not apply cleanly; service restored on the old version.",
  rolled_back: "Error rate rose after the switch; rolled back within the window.",
};
const ROOT_CAUSES: Record<ImplementationOutcome, string> = {
  successful: "An unpatched dependency exposed to the incident; patched and added to the weekly scan.",
  successful_with_issues: "Alert thresholds were tuned too tight for the incident's traffic.",
  failed: "The staging environment did not have the production schema migration applied.",
  rolled_back: "A connection-pool setting differed between staging and production.",
};

function flagColumns(f: ChangeFlags) {
  return {
    new_external_interface: f.newExternalInterface,
    touches_auth: f.touchesAuth,
    regulated_data: f.regulatedData,
    framework_tags: pgTextArray(f.frameworkTags),
    infra_provisioning: f.infraProvisioning,
    release_artifact: f.releaseArtifact,
    temporary_access: f.temporaryAccess,
    access_expires_at: null,
  };
}

// What change.created records: the draft as the requester saved it (save-change-draft.ts).
function snapshot(p: ChangePlan, row: Record<string, unknown>): Record<string, Json> {
  const f = p.flags;
  return {
    cves: [],
    type: p.type,
    ciIds: p.ciIds,
    title: p.title,
    testPlan: PLANS.testPlan,
    plannedEnd: (row.planned_end as Date).toISOString(),
    templateId: p.templateId,
    backoutPlan: PLANS.backoutPlan,
    description: PLANS.description,
    touchesAuth: f.touchesAuth,
    plannedStart: (row.planned_start as Date).toISOString(),
    backoutTested: true,
    frameworkTags: [...f.frameworkTags],
    justification: PLANS.justification,
    regulatedData: f.regulatedData,
    accessExpiresAt: null,
    releaseArtifact: f.releaseArtifact,
    temporaryAccess: f.temporaryAccess,
    infraProvisioning: f.infraProvisioning,
    implementationPlan: PLANS.implementationPlan,
    newExternalInterface: f.newExternalInterface,
    emergencyJustification: p.emergencyJustification,
  };
}
