import "server-only";
import { hashEvent, withoutHashes } from "@/lib/domain/audit-chain";
import type { AuditEventRecord } from "@/lib/domain/audit-event";
import { mapControls, type EvidenceRecord } from "@/lib/domain/control-mapping";
import { fieldChanges } from "@/lib/domain/field-changes";
import { isUuid } from "@/lib/domain/is-uuid";
import { checklistReliedUntil, evidenceStanding, type EvidenceStanding } from "@/lib/domain/waiver-expiry";
import { readAuditEvents } from "../audit/read-audit-events";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { getChange, type ChangeDetail } from "../changes/get-change";
import { deploymentsOfChange, type DeploymentLine } from "../deployments/recent-deployments";

const IMPLEMENTATION_ACTIONS = new Set(["change.implementation_started", "change.outcome_recorded"]);

async function allEventsOf(changeId: string): Promise<AuditEventRecord[]> {
  const events: AuditEventRecord[] = [];
  for (let afterSeq = 0; ;) {
    const batch = await readAuditEvents({ changeId, afterSeq, limit: 1_000 });
    events.push(...batch);
    if (batch.length < 1_000) return events;
    afterSeq = batch.at(-1)!.seq;
  }
}

export type VerifiedEvent = AuditEventRecord & { hashMatches: boolean };

export type EvidenceChecklistItem = ChangeDetail["checklist"][number] & EvidenceStanding;

function evidenceRecord(
  change: ChangeDetail,
  checklist: EvidenceChecklistItem[],
  events: VerifiedEvent[],
  deployments: DeploymentLine[],
): EvidenceRecord {
  const authorizingRound = change.approvalRound;
  return {
    ...change,
    implementerName: change.implementer?.name ?? null,
    cis: change.cis.map((c) => ({ name: c.ci.name, environment: c.ci.environment })),
    template: change.template ? { title: change.template.title, version: change.template.version, status: change.template.status } : null,
    approvals: change.votes
      .filter((v) => v.decision === "approve" && v.round.number === authorizingRound)
      .map((v) => ({ voterId: v.voterId, voterName: v.voter.name, role: v.role })),
    checklist: checklist.map((i) => ({
      key: i.key,
      title: i.title,
      // A waiver that lapsed while the change still relied on it evidences nothing.
      status: i.standing === "lapsed" ? "pending" : i.standing,
      signedById: i.signedById,
      signedByName: i.signedBy?.name ?? null,
    })),
    implementationActorIds: events.filter((e) => IMPLEMENTATION_ACTIONS.has(e.action) && e.actorId).map((e) => e.actorId!),
    review: change.review
      ? {
          reviewedAt: change.review.reviewedAt,
          reviewedByName: change.review.reviewedBy.name,
          securityValidation: change.review.securityValidation,
        }
      : null,
    audit: { events: events.length, hashesVerified: events.filter((e) => e.hashMatches).length },
    deployments: deployments.map((d) => ({
      environment: d.environment,
      ciName: d.ciName,
      at: d.at,
      authorized: d.authorized,
      reason: d.unauthorizedReason,
    })),
  };
}

/**
 * One change's whole record for the evidence view: the row, its audit events each re-hashed, the
 * control mapping; null when there is no such change, the 403 page for a viewer who may not read the audit history.
 */
export async function loadEvidence(viewer: Actor, changeId: string) {
  await refuseReadUnlessCan(viewer, "audit.read");
  const change = isUuid(changeId) ? await getChange(changeId) : null;
  if (!change) return null;
  const [stored, deployments] = await Promise.all([allEventsOf(changeId), deploymentsOfChange(changeId)]);
  const events: VerifiedEvent[] = stored.map((e) => ({
    ...e,
    hashMatches: hashEvent(e.prevHash, withoutHashes(e)) === e.hash,
  }));
  const now = new Date();
  const reliedUntil = checklistReliedUntil(change);
  const checklist = change.checklist.map((i) => ({ ...i, ...evidenceStanding(i, reliedUntil, now) }));
  return {
    change,
    checklist,
    events,
    deployments,
    fieldChanges: fieldChanges(events),
    controls: mapControls(evidenceRecord(change, checklist, events, deployments)),
  };
}

export type Evidence = NonNullable<Awaited<ReturnType<typeof loadEvidence>>>;
