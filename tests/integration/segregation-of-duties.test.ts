import { beforeAll, describe, expect, it } from "vitest";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";
import { createFreeze } from "@/lib/server/schedule/save-freeze";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Issue 28 item 3: a party to a change (its requester or implementer) never reclassifies,
// re-scopes or reschedules it after submission, whatever other roles they hold.
type U = Awaited<ReturnType<typeof createTestUser>>;
let requesterManager: U, manager: U, implementerManager: U, security: U, admin: U, approverImplementer: U, implementerSecurity: U;
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  requesterManager = await createTestUser({ roles: ["requester", "change_manager"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  implementerManager = await createTestUser({ roles: ["implementer", "change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  admin = await createTestUser({ roles: ["admin"] });
  approverImplementer = await createTestUser({ roles: ["change_manager", "implementer"] });
  implementerSecurity = await createTestUser({ roles: ["implementer", "security_reviewer"] });
});

/** A change touching authentication on an internet-facing CI, filed by the requester who is also a change manager. */
async function fileChange(overrides: Record<string, unknown> = {}) {
  const ci = await createTestCi({ criticality: 3, exposure: "internet_facing" });
  const fields = completeDraft([ci.id], { touchesAuth: true, ...overrides });
  const created = await createChangeDraft(requesterManager.actor, fields);
  if (!created.ok) throw new Error(created.message);
  return { id: created.value.id, fields };
}

async function inAssessment(overrides: Record<string, unknown> = {}) {
  const change = await fileChange(overrides);
  expect(await performChangeAction(requesterManager.actor, { changeId: change.id, action: "submit" })).toMatchObject({ ok: true });
  expect(await performChangeAction(manager.actor, { changeId: change.id, action: "start_assessment" })).toMatchObject({ ok: true });
  return change;
}

async function inAuthorization(overrides: Record<string, unknown> = {}) {
  const change = await inAssessment(overrides);
  for (const item of await testDb().checklistItem.findMany({
    where: { changeId: change.id, status: "pending", preImplementation: false },
  })) {
    expect(
      await signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId: change.id,
        key: item.key,
        evidence: "Checked.",
      }),
    ).toMatchObject({ ok: true });
  }
  expect(await performChangeAction(manager.actor, { changeId: change.id, action: "request_authorization" })).toMatchObject({ ok: true });
  return change;
}

const row = (id: string) => testDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { cis: true, checklist: true } });
const lastEvent = async (changeId: string) => (await readAuditEvents({ changeId, limit: 500 })).at(-1)!;

describe("a party to the change reclassifying it after submission", () => {
  const otherCi = () => createTestCi({ criticality: 1, exposure: "isolated" });
  it.each([
    ["drops 'touches authentication'", async () => ({ touchesAuth: false }), ["touchesAuth"], "touches authentication"],
    ["changes its CIs", async () => ({ ciIds: [(await otherCi()).id] }), ["ciIds"], "configuration items"],
    ["changes its type", async () => ({ type: "major" }), ["type"], "type"],
    ["marks the backout as untested", async () => ({ backoutTested: false }), ["backoutTested"], "backout tested"],
    [
      "moves its window",
      async () => ({
        plannedStart: new Date(Date.now() + 3 * DAY).toISOString(),
        plannedEnd: new Date(Date.now() + 3 * DAY + 3_600_000).toISOString(),
      }),
      ["plannedEnd", "plannedStart"],
      "planned start, planned end",
    ],
  ])("is refused and audited when the requester, a change manager too, %s", async (_label, edit, fields, named) => {
    const change = await inAssessment();
    const before = await row(change.id);
    expect(before.checklist.map((i) => i.key)).toContain("sast_dast");
    const result = await updateChangeDraft(requesterManager.actor, {
      ...change.fields,
      ...(await edit()),
      changeId: change.id,
      version: before.version,
    });
    expect(result).toEqual({
      ok: false,
      message: `You requested this change, so you cannot reclassify, re-scope or reschedule it (${named}); someone independent must.`,
    });
    const after = await row(change.id);
    expect(after).toMatchObject({
      version: before.version,
      type: "normal",
      touchesAuth: true,
      backoutTested: true,
      plannedStart: before.plannedStart,
    });
    expect(after.cis.map((c) => c.ciId)).toEqual(before.cis.map((c) => c.ciId));
    expect(after.checklist.map((i) => i.key)).toContain("sast_dast");
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.action_refused",
      actorId: requesterManager.id,
      before: { state: "assessment" },
      after: { attempted: "edit", fields },
      reason: (result as { message: string }).message,
    });
  });

  it("is refused and audited for the implementer who is also a change manager", async () => {
    const change = await fileChange();
    expect(await performChangeAction(requesterManager.actor, { changeId: change.id, action: "submit" })).toMatchObject({ ok: true });
    expect(await assignImplementer(manager.actor, { changeId: change.id, implementerId: implementerManager.id })).toMatchObject({
      ok: true,
    });
    expect(await performChangeAction(manager.actor, { changeId: change.id, action: "start_assessment" })).toMatchObject({ ok: true });
    const { version } = await row(change.id);
    const result = await updateChangeDraft(implementerManager.actor, {
      ...change.fields,
      touchesAuth: false,
      changeId: change.id,
      version,
    });
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^You are the implementer of this change, so you cannot reclassify/),
    });
    expect(await row(change.id)).toMatchObject({ version, touchesAuth: true });
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.action_refused",
      actorId: implementerManager.id,
      after: { attempted: "edit", fields: ["touchesAuth"] },
    });
  });

  it("still lets the requester edit their own draft freely, correct the wording later, and an independent manager reclassify", async () => {
    const change = await fileChange();
    const draftEdit = await updateChangeDraft(requesterManager.actor, {
      ...change.fields,
      touchesAuth: false,
      type: "major",
      changeId: change.id,
      version: 1,
    });
    expect(draftEdit).toMatchObject({ ok: true });
    const fields = { ...change.fields, touchesAuth: false, type: "major" };
    expect(await performChangeAction(requesterManager.actor, { changeId: change.id, action: "submit" })).toMatchObject({ ok: true });
    expect(await performChangeAction(manager.actor, { changeId: change.id, action: "start_assessment" })).toMatchObject({ ok: true });
    const wording = await updateChangeDraft(requesterManager.actor, {
      ...fields,
      description: "Clearer words.",
      changeId: change.id,
      version: (await row(change.id)).version,
    });
    expect(wording).toMatchObject({ ok: true });
    const independent = await updateChangeDraft(manager.actor, {
      ...fields,
      description: "Clearer words.",
      touchesAuth: true,
      changeId: change.id,
      version: (await row(change.id)).version,
    });
    expect(independent).toMatchObject({ ok: true });
    expect(await row(change.id)).toMatchObject({ description: "Clearer words.", touchesAuth: true, type: "major" });
  });
});

describe("any refused edit", () => {
  it("is audited with what was attempted, as a refused action is", async () => {
    const change = await fileChange();
    const result = await updateChangeDraft(manager.actor, {
      ...change.fields,
      title: "Not mine to change",
      changeId: change.id,
      version: 1,
    });
    expect(result).toMatchObject({ ok: false, message: "Only the requester can edit a draft." });
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.action_refused",
      actorId: manager.id,
      before: { state: "draft" },
      after: { attempted: "edit", fields: ["title"] },
      reason: "Only the requester can edit a draft.",
    });
  });
});

describe("a party to the change rescheduling it", () => {
  const window = () => ({
    plannedStart: new Date(Date.now() + 5 * DAY).toISOString(),
    plannedEnd: new Date(Date.now() + 5 * DAY + 3_600_000).toISOString(),
  });

  it("is refused and audited for the requester and the implementer, both change managers; an independent manager may", async () => {
    const change = await inAuthorization();
    expect(await assignImplementer(manager.actor, { changeId: change.id, implementerId: implementerManager.id })).toMatchObject({
      ok: true,
    });
    const before = await row(change.id);
    for (const [who, words] of [
      [requesterManager, "You requested this change"],
      [implementerManager, "You are the implementer of this change"],
    ] as const) {
      const result = await rescheduleChange(who.actor, { changeId: change.id, ...window() });
      expect(result).toEqual({ ok: false, message: `${words}, so you cannot reschedule it; someone independent must.` });
      expect(await lastEvent(change.id)).toMatchObject({
        action: "change.action_refused",
        actorId: who.id,
        before: { state: "authorization" },
        after: { attempted: "reschedule" },
        reason: (result as { message: string }).message,
      });
    }
    expect((await row(change.id)).plannedStart).toEqual(before.plannedStart);
    expect(await rescheduleChange(manager.actor, { changeId: change.id, ...window() })).toMatchObject({ ok: true });
  });
});

describe("a freeze exception's approver", () => {
  it("cannot become the change's implementer, and an implementer cannot approve the exception", async () => {
    const start = new Date(Date.now() + 200 * DAY);
    const freeze = await createFreeze(admin.actor, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 2 * DAY).toISOString(),
      reason: "Peak",
      scope: "all",
    });
    expect(freeze).toMatchObject({ ok: true });
    const planned = {
      plannedStart: new Date(start.getTime() + 3_600_000).toISOString(),
      plannedEnd: new Date(start.getTime() + 7_200_000).toISOString(),
    };
    const change = await inAuthorization(planned);
    expect(
      await requestFreezeException(requesterManager.actor, { changeId: change.id, reason: "The regulator's deadline." }),
    ).toMatchObject({ ok: true });

    // The implementer holds the security reviewer role and still may not approve.
    expect(await assignImplementer(manager.actor, { changeId: change.id, implementerId: implementerSecurity.id })).toMatchObject({
      ok: true,
    });
    expect(await approveFreezeException(implementerSecurity.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^You are the implementer/),
    });
    expect(await lastEvent(change.id)).toMatchObject({ action: "change.action_refused", actorId: implementerSecurity.id });

    expect(await approveFreezeException(approverImplementer.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({
      ok: true,
    });
    expect(await approveFreezeException(security.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({ ok: true });
    const refused = await assignImplementer(manager.actor, { changeId: change.id, implementerId: approverImplementer.id });
    expect(refused).toEqual({ ok: false, message: "The person chosen approved this change's freeze exception; they cannot implement it." });
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.action_refused",
      actorId: manager.id,
      after: { attempted: "assign_implementer" },
      reason: refused.ok ? "" : refused.message,
    });
    expect((await row(change.id)).implementerId).toBe(implementerSecurity.id);
  });
});
