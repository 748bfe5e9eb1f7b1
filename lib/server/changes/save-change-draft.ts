import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { changeDraftSchema, type ChangeDraftInput } from "@/lib/domain/change-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";
import { runChangeStep } from "./run-change-step";
import { decideEdit } from "@/lib/domain/decide-edit";
import { editedFields } from "@/lib/domain/change-edits";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { assessChangeRisk, riskColumns } from "./assess-risk";
import { lockChangeFacts } from "./load-change-facts";
import { syncChecklist } from "./sync-checklist";
import { fromStoredArtifact, toStoredArtifact } from "@/lib/domain/release-artifacts";
import type { ChangeState } from "@/lib/domain/change-states";
import type { LockedChange } from "./load-change-facts";
import { ARTIFACT_CHECKLIST_ITEMS } from "@/lib/domain/checklist";

/**
 * An authorized change whose artifacts changed goes back (decideEdit says where): the approval
 * covered the old digests, so its round closes, a new one opens, and the items about the
 * artifacts are to be signed again.
 */
async function reopenApproval(tx: Tx, facts: LockedChange, to: ChangeState, now: Date) {
  const round = facts.approvalRound + 1;
  await tx.approvalRound.updateMany({ where: { changeId: facts.id, closedAt: null }, data: { closedAt: now } });
  await tx.approvalRound.create({ data: { changeId: facts.id, number: round, openedAt: now } });
  await tx.changeRequest.update({ where: { id: facts.id }, data: { state: to, approvalRound: round, authorizedAt: null } });
  await tx.checklistItem.updateMany({
    where: { changeId: facts.id, key: { in: [...ARTIFACT_CHECKLIST_ITEMS] } },
    data: {
      status: "pending",
      signedById: null,
      signedAt: null,
      evidence: null,
      compensatingControl: null,
      residualRisk: null,
      waiverExpiresAt: null,
    },
  });
}

// The edit form always sends its version; an API client sends it as If-Match, or leaves it out.
const editSchema = z.object({ changeId: z.string().uuid(), version: z.coerce.number().int().positive().optional() });

function columns(d: ChangeDraftInput) {
  return {
    type: d.type,
    title: d.title,
    description: d.description,
    justification: d.justification,
    implementationPlan: d.implementationPlan,
    backoutPlan: d.backoutPlan,
    testPlan: d.testPlan,
    backoutTested: d.backoutTested,
    rollbackCriteria: d.rollbackCriteria,
    replacesVersion: d.replacesVersion,
    emergencyJustification: d.emergencyJustification || null,
    plannedStart: d.plannedStart,
    plannedEnd: d.plannedEnd,
    templateId: d.templateId || null,
    newExternalInterface: d.newExternalInterface,
    touchesAuth: d.touchesAuth,
    regulatedData: d.regulatedData,
    frameworkTags: d.frameworkTags,
    infraProvisioning: d.infraProvisioning,
    releaseArtifact: d.releaseArtifact,
    temporaryAccess: d.temporaryAccess,
    accessExpiresAt: d.accessExpiresAt,
    pipelineMovesChange: d.pipelineMovesChange,
  };
}

// What the audit log keeps of a draft: its fields, with dates as ISO strings. A backout test is
// recorded apart from the requester's own box: only someone other than the requester records it.
function snapshot(d: ChangeDraftInput, backoutTestRecorded: boolean) {
  return { ...columns(d), backoutTestRecorded, ciIds: [...d.ciIds].sort(), cves: d.cves, artifacts: d.artifacts };
}

async function writeRelations(tx: Tx, changeId: string, d: ChangeDraftInput) {
  await tx.changeCi.deleteMany({ where: { changeId } });
  await tx.cveReference.deleteMany({ where: { changeId } });
  await tx.releaseArtifact.deleteMany({ where: { changeId } });
  if (d.ciIds.length) await tx.changeCi.createMany({ data: [...new Set(d.ciIds)].map((ciId) => ({ changeId, ciId })) });
  if (d.cves.length) await tx.cveReference.createMany({ data: d.cves.map((c) => ({ changeId, ...c })) });
  if (d.artifacts.length) await tx.releaseArtifact.createMany({ data: d.artifacts.map((a) => ({ changeId, ...toStoredArtifact(a) })) });
}

/** The backout-test record an edit leaves: kept, set to this actor now, or cleared. The requester's word does not count. */
function backoutRecord(was: boolean, wanted: boolean, actorId: string, requesterId: string, now: Date) {
  if (actorId === requesterId || wanted === was) return { now: was, data: {} };
  return wanted
    ? { now: true, data: { backoutTestedById: actorId, backoutTestedAt: now } }
    : { now: false, data: { backoutTestedById: null, backoutTestedAt: null } };
}

/** A draft whose input parses, and whose template and CIs exist (templates and CIs are never deleted). */
async function parse(input: unknown): Promise<Result<ChangeDraftInput>> {
  const parsed = safeParseInput(changeDraftSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const draft = parsed.data;
  const ciIds = [...new Set(draft.ciIds)];
  const [template, cis] = await Promise.all([
    draft.templateId ? db().changeTemplate.count({ where: { id: draft.templateId } }) : 1,
    ciIds.length ? db().configurationItem.count({ where: { id: { in: ciIds } } }) : 0,
  ]);
  const fieldErrors: Record<string, string> = {};
  if (template === 0) fieldErrors.templateId = "That template does not exist.";
  if (cis !== ciIds.length) fieldErrors.ciIds = "A chosen configuration item does not exist.";
  return Object.keys(fieldErrors).length ? refuse("Check the highlighted fields.", fieldErrors) : ok(draft);
}

/** A requester files a new change as a draft; it is submitted separately. */
export async function createChangeDraft(actor: Actor | null, input: unknown): Promise<Result<{ id: string; number: number }>> {
  const refused = await refuseUnlessCan(actor, "change.request", "change.create", "Only requesters and change managers can file changes.");
  if (refused) return refused;
  const parsed = await parse(input);
  if (!parsed.ok) return parsed;
  const draft = parsed.value;
  const change = await inTransaction(async (tx) => {
    const created = await tx.changeRequest.create({
      data: { ...columns(draft), requesterId: actor!.id },
      select: { id: true, number: true },
    });
    await writeRelations(tx, created.id, draft);
    await appendAuditEvent(tx, {
      actor,
      action: "change.created",
      entityType: "change",
      entityId: created.id,
      changeId: created.id,
      after: { state: "draft", ...snapshot(draft, false) },
    });
    return created;
  });
  return ok(change);
}

/**
 * The requester edits their own draft; a change manager classifies a submitted change during
 * assessment, unless they requested or implement it (the domain's decideEdit says who may edit
 * which fields). A stale version is refused, not overwritten; a refused edit is audited.
 */
export async function updateChangeDraft(actor: Actor | null, input: unknown, now = new Date()): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const ids = safeParseInput(editSchema, input);
  if (!ids.success) return refuse("That request was not understood; reload the page.");
  const parsed = await parse(input);
  if (!parsed.ok) return parsed;
  const draft = parsed.value;
  const { changeId, version } = ids.data;
  return runChangeStep(actor, {
    changeId,
    version,
    now,
    // Under the lock: the fields edited are only known against the version the form showed.
    gather: async (tx, facts) => {
      const current = await tx.changeRequest.findUniqueOrThrow({
        where: { id: facts.id },
        include: { cis: true, cves: true, artifacts: { orderBy: { digest: "asc" } } },
      });
      const row = current as unknown as Record<string, unknown>;
      const tested = current.backoutTestedById !== null;
      const backout = backoutRecord(tested, draft.backoutTestRecorded, actor.id, current.requesterId, now);
      const before = {
        ...Object.fromEntries(Object.keys(columns(draft)).map((key) => [key, row[key]])),
        backoutTestRecorded: tested,
        ciIds: current.cis.map((c) => c.ciId).sort(),
        cves: current.cves.map((c) => ({ cveId: c.cveId, cvssBaseScore: Number(c.cvssBaseScore), knownExploited: c.knownExploited })),
        artifacts: current.artifacts.map(fromStoredArtifact),
      };
      const after = snapshot(draft, backout.now);
      return { before, after, edited: editedFields(before, after), backout: backout.data };
    },
    decide: (facts, { edited }) => decideEdit(facts, { id: actor.id, roles: actor.roles }, edited),
    attempted: ({ edited }) => ({ attempted: "edit", fields: edited }),
    write: async (tx, facts, decision, { backout }) => {
      await tx.changeRequest.update({ where: { id: facts.id }, data: { ...columns(draft), ...backout } });
      await writeRelations(tx, facts.id, draft);
      if (decision.to !== facts.state) await reopenApproval(tx, facts, decision.to, now);
      // A reclassified change under assessment is scored again and its checklist follows its new flags.
      if (facts.state !== "draft") {
        await tx.changeRequest.update({ where: { id: facts.id }, data: riskColumns(await assessChangeRisk(tx, facts.id, now), now) });
        await syncChecklist(tx, (await lockChangeFacts(tx, facts.id))!);
      }
    },
    recorded: (decision, { before, after }) =>
      decision.to === decision.audit.from
        ? { before, after }
        : { before: { state: decision.audit.from, ...before }, after: { state: decision.to, ...after } },
    message: ({ audit, to }) =>
      audit.from === "draft"
        ? "Draft saved."
        : to !== audit.from
          ? "Artifacts changed: the change went back for assessment and a new approval round."
          : "Change updated; its risk was scored again.",
  });
}
