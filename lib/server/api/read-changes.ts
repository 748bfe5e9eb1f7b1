import { fromStoredArtifact } from "@/lib/domain/release-artifacts";
import "server-only";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { changeReference } from "@/lib/domain/change-visibility";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import { ok, refuseAs, type Result } from "@/lib/domain/result";
import { checklistStanding } from "@/lib/domain/waiver-expiry";
import type { RiskFactor } from "@/lib/domain/risk";
import { readChangeTimeline } from "../audit/read-change-timeline";
import type { Actor } from "../auth/current-actor";
import { HIDDEN } from "../auth/viewer-read";
import { getChangeForViewer } from "../changes/get-change";
import { listChanges } from "../changes/list-changes";
import { pageChangeFacts } from "../changes/load-change-facts";
import { pageConflicts } from "../schedule/load-schedule";
import { listChangeDeployments } from "../deployments/list-change-deployments";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { encodeApiCursor } from "./api-cursor";
import type { ChangeDetailResource, ChangeListItem, ChangeListQuery } from "./change-schemas";

// The API's reads of changes: the same viewer-checked reads the pages make, shaped as the
// resources change-schemas.ts describes.

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** One page of the changes the viewer may open, as the change list filters them. */
export async function listChangesForApi(
  actor: Actor,
  query: ChangeListQuery,
): Promise<Result<{ items: ChangeListItem[]; nextCursor: string | null }>> {
  const { cursor, limit, ...filters } = query;
  const { rows, nextCursor } = await listChanges(actor, { ...filters, after: cursor }, { limit });
  const next = decodeTimeCursor(nextCursor);
  return ok({
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      reference: changeReference(r.number),
      title: r.title,
      type: r.type,
      state: r.state,
      risk: r.riskLevel && r.riskScore !== null ? { level: r.riskLevel, score: r.riskScore } : null,
      plannedStart: isoOrNull(r.plannedStart),
      createdAt: iso(r.createdAt),
      requester: { name: r.requester.name },
    })),
    nextCursor: next ? encodeApiCursor(next.at, next.id) : null,
  });
}

export const NO_SUCH_CHANGE = "There is no such change, or you may not see it.";

/** A change with what its page shows: risk, approvals and why, votes, checklist, conflicts, timeline. */
export async function getChangeForApi(actor: Actor, input: { id: string; eventsBefore?: number }): Promise<Result<ChangeDetailResource>> {
  const change = await getChangeForViewer(actor, input.id);
  // A hidden change answers like a missing one: a token learns nothing about changes it may not see.
  if (!change || change === HIDDEN) return refuseAs("not_found", NO_SUCH_CHANGE);
  const schedule = pageConflicts.of(change);
  const [timeline, facts, { conflicts }, deployments] = await Promise.all([
    readChangeTimeline(actor, change.id, input.eventsBefore),
    schedule.then((s) => pageChangeFacts(change, s.freeze)),
    schedule,
    listChangeDeployments(actor, change),
  ]);
  const now = new Date();
  const requirement = requiredApprovals(facts);
  const evaluation = evaluateVotes(requirement, facts.votes, facts);
  const stored = (change.riskFactors as { factors?: RiskFactor[] } | null)?.factors ?? [];
  return ok({
    id: change.id,
    number: change.number,
    reference: changeReference(change.number),
    version: change.version,
    title: change.title,
    type: change.type,
    state: change.state,
    description: change.description,
    justification: change.justification,
    implementationPlan: change.implementationPlan,
    backoutPlan: change.backoutPlan,
    testPlan: change.testPlan,
    backoutTested:
      change.backoutTestedBy && change.backoutTestedAt
        ? { by: { id: change.backoutTestedBy.id, name: change.backoutTestedBy.name }, at: iso(change.backoutTestedAt) }
        : null,
    rollbackCriteria: change.rollbackCriteria,
    replacesVersion: change.replacesVersion,
    releaseArtifact: change.releaseArtifact,
    artifacts: change.artifacts.map((a) => {
      const { scan, ...rest } = fromStoredArtifact(a);
      return { ...rest, scan: scan ? { ...scan, scannedAt: isoOrNull(scan.scannedAt) } : null };
    }),
    scanPolicy: {
      applies: facts.scanPolicy.applies,
      passes: facts.scanPolicy.passes,
      environments: facts.scanPolicy.environments,
      violations: facts.scanPolicy.violations,
    },
    pipelineMovesChange: change.pipelineMovesChange,
    deployments: deployments.map((d) => ({
      id: d.id,
      environment: d.environment,
      ci: d.ci,
      digests: d.digests,
      status: d.status,
      authorized: d.authorized,
      unauthorizedReason: d.unauthorizedReason,
      reasons: d.reasons,
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
      pipelineRunUrl: d.pipelineRunUrl,
      pipelineStep: d.pipelineStep,
      createdAt: d.createdAt,
    })),
    emergencyJustification: change.emergencyJustification,
    plannedStart: isoOrNull(change.plannedStart),
    plannedEnd: isoOrNull(change.plannedEnd),
    createdAt: iso(change.createdAt),
    updatedAt: iso(change.updatedAt),
    requester: { id: change.requester.id, name: change.requester.name },
    implementer: change.implementer ? { id: change.implementer.id, name: change.implementer.name } : null,
    template: change.template ? { id: change.template.id, title: change.template.title, version: change.template.version } : null,
    cis: change.cis.map(({ ci }) => ({ id: ci.id, name: ci.name, environment: ci.environment })),
    cves: change.cves.map((c) => c.cveId),
    risk: facts.risk
      ? {
          score: facts.risk.score,
          level: facts.risk.level,
          summary: facts.risk.summary,
          preview: change.state === "draft",
          factors:
            change.state === "draft" ? [] : stored.map(({ factor, points, max, explanation }) => ({ factor, points, max, explanation })),
        }
      : null,
    approvals: {
      preApproved: requirement.preApproved,
      summary: requirement.summary,
      rules: requirement.rules,
      round: facts.approvalRound,
      status: evaluation.status,
      evaluation: evaluation.summary,
      missing: evaluation.missing,
      notCounted: evaluation.ignored.map((i) => i.why),
    },
    votes: change.votes.map((v) => ({
      round: v.round.number,
      voter: { name: v.voter.name },
      onBehalfOf: v.onBehalfOf ? { name: v.onBehalfOf.name } : null,
      role: v.role,
      decision: v.decision,
      comment: v.comment,
      castAt: iso(v.castAt),
    })),
    checklist: change.checklist.map((i) => ({
      key: i.key,
      title: i.title,
      signerRole: i.signerRole,
      status: checklistStanding(i, now),
      signedBy: i.signedBy ? { name: i.signedBy.name } : null,
      signedAt: isoOrNull(i.signedAt),
      evidence: i.evidence,
      compensatingControl: i.compensatingControl,
      residualRisk: i.residualRisk,
      waiverExpiresAt: isoOrNull(i.waiverExpiresAt),
    })),
    conflicts: conflicts.map((c) => ({
      kind: c.kind,
      severity: c.severity,
      message: c.message,
      proceed: c.proceed,
      other: c.other ?? null,
    })),
    timeline: {
      events: timeline.events.map((e) => ({
        seq: e.seq,
        occurredAt: e.occurredAt,
        action: e.action,
        actorEmail: e.actorEmail,
        reason: e.reason,
      })),
      earlierBefore: timeline.earlierBefore,
    },
  });
}
