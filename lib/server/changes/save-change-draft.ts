import "server-only";
import { z } from "zod";
import { changeDraftSchema, type ChangeDraftInput } from "@/lib/domain/change-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { requestAddress } from "../auth/request-address";
import { inTransaction, type Tx } from "../db/transaction";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { STALE_CHANGE } from "./stale-change";

const editSchema = z.object({ changeId: z.string().uuid(), version: z.coerce.number().int().positive() });

function columns(d: ChangeDraftInput) {
  return {
    type: d.type, title: d.title, description: d.description, justification: d.justification,
    implementationPlan: d.implementationPlan, backoutPlan: d.backoutPlan, testPlan: d.testPlan, backoutTested: d.backoutTested,
    emergencyJustification: d.emergencyJustification || null, plannedStart: d.plannedStart, plannedEnd: d.plannedEnd,
    templateId: d.templateId || null, newExternalInterface: d.newExternalInterface, touchesAuth: d.touchesAuth,
    regulatedData: d.regulatedData, frameworkTags: d.frameworkTags, infraProvisioning: d.infraProvisioning,
    releaseArtifact: d.releaseArtifact, artifactDigest: d.artifactDigest || null, temporaryAccess: d.temporaryAccess, accessExpiresAt: d.accessExpiresAt,
  };
}

// What the audit log keeps of a draft: its fields, with dates as ISO strings.
function snapshot(d: ChangeDraftInput) {
  return { ...columns(d), ciIds: [...d.ciIds].sort(), cves: d.cves };
}

async function writeRelations(tx: Tx, changeId: string, d: ChangeDraftInput) {
  await tx.changeCi.deleteMany({ where: { changeId } });
  await tx.cveReference.deleteMany({ where: { changeId } });
  if (d.ciIds.length) await tx.changeCi.createMany({ data: [...new Set(d.ciIds)].map((ciId) => ({ changeId, ciId })) });
  if (d.cves.length) await tx.cveReference.createMany({ data: d.cves.map((c) => ({ changeId, ...c })) });
}

function parse(input: unknown): Result<ChangeDraftInput> {
  const parsed = changeDraftSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
}

/** A requester files a new change as a draft; it is submitted separately. */
export async function createChangeDraft(actor: Actor | null, input: unknown): Promise<Result<{ id: string; number: number }>> {
  const refused = await refuseUnlessCan(actor, "change.request", "change.create", "Only requesters and change managers can file changes.");
  if (refused) return refused;
  const parsed = parse(input);
  if (!parsed.ok) return parsed;
  const draft = parsed.value;
  const clientAddress = await requestAddress();
  const change = await inTransaction(async (tx) => {
    const created = await tx.changeRequest.create({ data: { ...columns(draft), requesterId: actor!.id }, select: { id: true, number: true } });
    await writeRelations(tx, created.id, draft);
    await appendAuditEvent(tx, { actor, action: "change.created", entityType: "change", entityId: created.id, changeId: created.id, after: { state: "draft", ...snapshot(draft) }, clientAddress });
    return created;
  });
  return ok(change);
}

/** The requester edits their own draft; a stale version (someone saved in between) is refused, not overwritten. */
export async function updateChangeDraft(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "change.request", "change.edit", "Only requesters and change managers can edit changes.");
  if (refused) return refused;
  const ids = editSchema.safeParse(input);
  if (!ids.success) return refuse("That request was not understood; reload the page.");
  const parsed = parse(input);
  if (!parsed.ok) return parsed;
  const draft = parsed.value;
  const { changeId, version } = ids.data;
  const clientAddress = await requestAddress();
  return inTransaction(async (tx) => {
    const current = await tx.changeRequest.findUnique({ where: { id: changeId }, include: { cis: true, cves: true } });
    if (!current) return refuse("That change no longer exists.");
    if (current.requesterId !== actor!.id) return refuse("Only the requester can edit this change.");
    if (current.state !== "draft") return refuse("Only a draft can be edited. This change has left draft.");
    const updated = await tx.changeRequest.updateMany({
      where: { id: changeId, version },
      data: { ...columns(draft), version: { increment: 1 }, updatedAt: new Date() },
    });
    if (updated.count === 0) return refuse(STALE_CHANGE);
    await writeRelations(tx, changeId, draft);
    const row = current as unknown as Record<string, unknown>;
    const before = {
      ...Object.fromEntries(Object.keys(columns(draft)).map((key) => [key, row[key]])),
      ciIds: current.cis.map((c) => c.ciId).sort(),
      cves: current.cves.map((c) => ({ cveId: c.cveId, cvssBaseScore: Number(c.cvssBaseScore), knownExploited: c.knownExploited })),
    };
    await appendAuditEvent(tx, { actor, action: "change.edited", entityType: "change", entityId: changeId, changeId, before, after: snapshot(draft), clientAddress });
    return ok({ message: "Draft saved." });
  });
}
