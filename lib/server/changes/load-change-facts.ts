import "server-only";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { ApproverRole } from "@/lib/domain/vote";
import type { ChangeRequest, ChangeTemplate, ChecklistItem, PostImplementationReview, Vote } from "../db/generated/client";
import type { ChangeDetail } from "./get-change";
import { inTransaction, type Tx } from "../db/transaction";
import { loadFreezeStatus, toScheduledChange } from "../schedule/load-schedule";
import { db } from "../db/db";
import { assessChangeRisk } from "./assess-risk";

/**
 * Locks the change row for the rest of the transaction and gathers what the lifecycle rules
 * look at. The lock makes actions on one change take turns (two votes, approve racing reject,
 * a double submit), so each decision sees the result of the one before.
 */
export async function lockChangeFacts(tx: Tx, changeId: string): Promise<(ChangeFacts & { version: number }) | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM change_requests WHERE id = ${changeId}::uuid FOR UPDATE`;
  return locked.length === 0 ? null : readChangeFacts(tx, changeId);
}

/** The same facts without a lock. */
export async function readChangeFacts(tx: Tx, changeId: string): Promise<(ChangeFacts & { version: number }) | null> {
  const c = await tx.changeRequest.findUnique({
    where: { id: changeId },
    include: {
      cis: { select: { ciId: true } },
      template: { include: { cis: { select: { ciId: true } } } },
      checklist: { select: { key: true, status: true, signedById: true } },
      review: true,
      freezeException: true,
    },
  });
  if (!c) return null;
  const votes = c.approvalRound > 0
    ? await tx.vote.findMany({ where: { changeId, round: { number: c.approvalRound } }, orderBy: { castAt: "asc" }, select: { voterId: true, role: true, decision: true, comment: true } })
    : [];
  return toChangeFacts(c, votes, await loadFreezeStatus(tx, toScheduledChange(c), c.freezeException));
}

type FactsRow = Omit<ChangeRequest, "riskFactors"> & {
  riskFactors: unknown;
  cis: { ciId: string }[];
  template: (Pick<ChangeTemplate, "id" | "version" | "title" | "status" | "riskCeiling"> & { cis: { ciId: string }[] }) | null;
  checklist: Pick<ChecklistItem, "key" | "status" | "signedById">[];
  review: PostImplementationReview | null;
};

type FreezeFacts = Pick<ChangeFacts, "insideFreeze" | "freezeExceptionGranted">;

/** The one mapping from a stored change (its current round's votes, its freeze status) to what the rules look at. */
export function toChangeFacts(c: FactsRow, votes: Pick<Vote, "voterId" | "role" | "decision" | "comment">[], freeze: FreezeFacts): ChangeFacts & { version: number } {
  const factors = c.riskFactors as { summary?: string } | null;
  return {
    id: c.id,
    version: c.version,
    type: c.type,
    state: c.state,
    requesterId: c.requesterId,
    implementerId: c.implementerId,
    title: c.title,
    description: c.description,
    justification: c.justification,
    implementationPlan: c.implementationPlan,
    backoutPlan: c.backoutPlan,
    testPlan: c.testPlan,
    emergencyJustification: c.emergencyJustification,
    affectedCiIds: c.cis.map((x) => x.ciId),
    plannedStart: c.plannedStart,
    plannedEnd: c.plannedEnd,
    risk: c.riskScore !== null && c.riskLevel ? { score: c.riskScore, level: c.riskLevel, summary: factors?.summary ?? "" } : null,
    flags: {
      newExternalInterface: c.newExternalInterface,
      touchesAuth: c.touchesAuth,
      regulatedData: c.regulatedData,
      frameworkTags: c.frameworkTags,
      infraProvisioning: c.infraProvisioning,
      releaseArtifact: c.releaseArtifact,
      temporaryAccess: c.temporaryAccess,
    },
    template: c.template
      ? { id: c.template.id, version: c.template.version, title: c.template.title, status: c.template.status, riskCeiling: c.template.riskCeiling, ciIds: c.template.cis.map((x) => x.ciId), checklistKeys: [] }
      : null,
    approvalRound: c.approvalRound,
    votes: votes.map((v) => ({ voterId: v.voterId, role: v.role as ApproverRole, decision: v.decision, comment: v.comment })),
    checklist: c.checklist.map((i) => ({ key: i.key, status: i.status, byId: i.signedById })),
    insideFreeze: freeze.insideFreeze,
    freezeExceptionGranted: freeze.freezeExceptionGranted,
    outcome: c.outcome,
    review: c.review
      ? { worksAsIntended: c.review.worksAsIntended, securityControlsInPlace: c.review.securityControlsInPlace, monitoringCovers: c.review.monitoringCovers, documentationUpdated: c.review.documentationUpdated, securityValidation: c.review.securityValidation }
      : null,
    rootCause: c.rootCause,
  };
}

/**
 * For pages: the facts the change's panels decide with (what the viewer may do, why these
 * approvers), mapped from the change the page already loaded. A draft has no stored risk yet;
 * submitting scores it, so the preview scores it too.
 */
export async function pageChangeFacts(change: ChangeDetail): Promise<ChangeFacts & { version: number }> {
  const votes = change.votes.filter((v) => v.round.number === change.approvalRound);
  const freeze = await loadFreezeStatus(db(), toScheduledChange(change), change.freezeException);
  const facts = toChangeFacts(change, votes, freeze);
  if (facts.state !== "draft") return facts;
  const preview = await inTransaction((tx) => assessChangeRisk(tx, change.id, new Date()));
  return { ...facts, risk: { score: preview.score, level: preview.level, summary: preview.summary } };
}
