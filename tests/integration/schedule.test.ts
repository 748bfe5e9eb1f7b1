import { beforeAll, describe, expect, it } from "vitest";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { loadConflicts, loadFreezeStatus, pageConflicts, toScheduledChange } from "@/lib/server/schedule/load-schedule";
import { addMaintenanceWindow } from "@/lib/server/schedule/maintenance-windows";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";
import { createFreeze, deleteFreeze, updateFreeze } from "@/lib/server/schedule/save-freeze";
import { markNotificationsRead, unreadCount } from "@/lib/server/notifications/notification-inbox";
import { sweepNotifications } from "@/lib/server/notifications/sweep-notifications";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, manager2: U, cab: U[], security: U, implementer: U, admin: U, both: U;
const DAY = 24 * 3_600_000;
const inDays = (d: number, hours = 0) => new Date(Date.now() + d * DAY + hours * 3_600_000);

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester", "change_manager"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  manager2 = await createTestUser({ roles: ["change_manager"] });
  cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  security = await createTestUser({ roles: ["security_reviewer"] });
  implementer = await createTestUser({ roles: ["implementer", "security_reviewer"] });
  admin = await createTestUser({ roles: ["admin"] });
  both = await createTestUser({ roles: ["change_manager", "security_reviewer"] });
});

/** A freeze over days 30-32 from now on production; each test plans its change inside or outside it. */
async function freezeProduction(startDay: number) {
  const created = await createFreeze(admin.actor, {
    startsAt: inDays(startDay).toISOString(),
    endsAt: inDays(startDay + 2).toISOString(),
    reason: `Peak ${startDay}`,
    scope: "environments",
    environments: "production",
    tags: "",
  });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

async function draft(startDay: number, overrides: Record<string, unknown> = {}) {
  const ci = await createTestCi();
  const start = inDays(startDay, 1);
  const created = await createChangeDraft(
    requester.actor,
    completeDraft([ci.id], {
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 3_600_000).toISOString(),
      ...overrides,
    }),
  );
  if (!created.ok) throw new Error(created.message);
  return { id: created.value.id, ciId: ci.id };
}
const act = (who: U, changeId: string, action: string, extra: Record<string, unknown> = {}) =>
  performChangeAction(who.actor, { changeId, action, ...extra });

async function signAll(changeId: string) {
  for (const item of await testDb().checklistItem.findMany({ where: { changeId, status: "pending" } })) {
    expect(
      await signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId,
        key: item.key,
        evidence: "Checked.",
      }),
    ).toMatchObject({ ok: true });
  }
}
async function approveAll(changeId: string) {
  const c = await testDb().changeRequest.findUniqueOrThrow({ where: { id: changeId } });
  const pool = { change_manager: [manager], cab_member: cab, security_reviewer: [security] };
  for (const rule of requiredApprovals({ type: c.type, risk: c.riskLevel ? { level: c.riskLevel, summary: "" } : null, flags: c }).rules) {
    for (const voter of pool[rule.role].slice(0, rule.count))
      expect(await castVote(voter.actor, { changeId, role: rule.role, decision: "approve", comment: "ok" })).toMatchObject({ ok: true });
  }
}
/** A normal change in authorization with every approval in, ready for the schedule step. */
async function readyToSchedule(startDay: number) {
  const change = await draft(startDay);
  expect(await act(requester, change.id, "submit")).toMatchObject({ ok: true });
  expect(await act(manager, change.id, "start_assessment")).toMatchObject({ ok: true });
  await signAll(change.id);
  expect(await act(manager, change.id, "request_authorization")).toMatchObject({ ok: true });
  await approveAll(change.id);
  expect(await assignImplementer(manager.actor, { changeId: change.id, implementerId: implementer.id })).toMatchObject({ ok: true });
  return change;
}
const stateOf = async (id: string) => (await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).state;

describe("a freeze window", () => {
  it("blocks scheduling a normal change inside it, saying what blocked and how to proceed", async () => {
    await freezeProduction(30);
    const change = await readyToSchedule(30);
    const refused = await act(manager, change.id, "schedule");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/inside a change freeze.*freeze exception/);
    expect(await stateOf(change.id)).toBe("authorization");
    const events = await readAuditEvents({ changeId: change.id, limit: 100 });
    expect(events.at(-1)).toMatchObject({ action: "change.action_refused" });
    // The change page reads the same guard facts with its schedule panel: they agree.
    const row = await testDb().changeRequest.findUniqueOrThrow({ where: { id: change.id }, include: { cis: true } });
    const page = await pageConflicts.of(row);
    expect(page.freeze).toEqual(await loadFreezeStatus(testDb(), toScheduledChange(row), null));
    expect(page.freeze).toEqual({ insideFreeze: true, freezeExceptionGranted: false });
    expect(page.conflicts.map((c) => c.severity)).toContain("block");
  });

  it("does not block a change outside it, nor one on a CI it does not cover", async () => {
    await freezeProduction(40);
    const outside = await readyToSchedule(43);
    expect(await act(manager, outside.id, "schedule")).toMatchObject({ ok: true });
    const staging = await createTestCi({ environment: "staging" });
    const start = inDays(40, 1);
    const created = await createChangeDraft(
      requester.actor,
      completeDraft([staging.id], { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() }),
    );
    const conflicts = await loadConflicts(testDb(), [
      toScheduledChange(
        await testDb().changeRequest.findUniqueOrThrow({ where: { id: created.ok ? created.value.id : "" }, include: { cis: true } }),
      ),
    ]);
    expect([...conflicts.values()][0]).toEqual([]);
  });

  it("does not stop an emergency change: it is approved and implemented inside the freeze", async () => {
    await freezeProduction(50);
    const change = await draft(50, { type: "emergency", emergencyJustification: "Exploited in the wild." });
    expect(await act(requester, change.id, "submit")).toMatchObject({ ok: true });
    await approveAll(change.id);
    for (const item of await testDb().checklistItem.findMany({
      where: { changeId: change.id, status: "pending", preImplementation: true },
    })) {
      expect(
        await signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
          changeId: change.id,
          key: item.key,
          evidence: "Checked.",
        }),
      ).toMatchObject({ ok: true });
    }
    expect(await assignImplementer(manager.actor, { changeId: change.id, implementerId: implementer.id })).toMatchObject({ ok: true });
    expect(await act(implementer, change.id, "start_implementation", { reason: "Exploited now; the window was a guess." })).toMatchObject({
      ok: true,
    });
    const row = await testDb().changeRequest.findUniqueOrThrow({ where: { id: change.id }, include: { cis: true } });
    expect((await loadConflicts(testDb(), [toScheduledChange(row)])).get(change.id)!.map((c) => c.severity)).toEqual(["info"]);
  });

  it("is edited and removed by admins only, each step audited", async () => {
    const id = await freezeProduction(60);
    const refused = await createFreeze(manager.actor, {
      startsAt: inDays(1).toISOString(),
      endsAt: inDays(2).toISOString(),
      reason: "x",
      scope: "all",
    });
    expect(refused).toMatchObject({ ok: false, message: "Only an admin can manage freeze windows." });
    const stored = await testDb().freezeWindow.findUniqueOrThrow({ where: { id } });
    const edit = {
      id,
      updatedAt: stored.updatedAt.toISOString(),
      startsAt: stored.startsAt.toISOString(),
      endsAt: stored.endsAt.toISOString(),
      reason: "Peak, extended",
      scope: "tags",
      tags: "pci",
      environments: "",
    };
    expect(await updateFreeze(admin.actor, { ...edit, scope: "tags", tags: "" })).toMatchObject({
      ok: false,
      fieldErrors: { tags: expect.stringContaining("tag") },
    });
    expect(await updateFreeze(admin.actor, edit)).toMatchObject({ ok: true });
    // The same stale page cannot overwrite the edit it missed.
    expect(await updateFreeze(admin.actor, edit)).toMatchObject({ ok: false });
    expect(await deleteFreeze(admin.actor, { id })).toMatchObject({ ok: true });
    const events = await testDb().auditEvent.findMany({ where: { entityId: id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["freeze.created", "freeze.updated", "freeze.deleted"]);
  });
});

describe("a freeze exception", () => {
  it("needs a change manager and a security reviewer, neither the requester nor implementer; then the change may be scheduled", async () => {
    await freezeProduction(70);
    const change = await readyToSchedule(70);
    expect(await requestFreezeException(requester.actor, { changeId: change.id, reason: "" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Say why/),
    });
    expect(
      await requestFreezeException(requester.actor, { changeId: change.id, reason: "The regulator's deadline falls inside the freeze." }),
    ).toMatchObject({ ok: true });

    // The requester holds the change manager role, and still may not approve.
    expect(await approveFreezeException(requester.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/You requested this change/),
    });
    expect(await approveFreezeException(implementer.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/implementer/),
    });
    expect(await approveFreezeException(cab[0]!.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({ ok: false });

    expect(await approveFreezeException(manager.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({
      ok: true,
      value: { message: expect.stringMatching(/still needs/) },
    });
    // One approval is not enough.
    expect(await act(manager2, change.id, "schedule")).toMatchObject({ ok: false });
    expect(await approveFreezeException(manager2.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already approved/),
    });
    expect(await approveFreezeException(security.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({
      ok: true,
      value: { message: expect.stringMatching(/granted/) },
    });
    expect(await act(manager2, change.id, "schedule")).toMatchObject({ ok: true });

    const actions = (await readAuditEvents({ changeId: change.id, limit: 200 })).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("change.freeze_exception"))).toEqual([
      "change.freeze_exception_requested",
      "change.freeze_exception_approved",
      "change.freeze_exception_approved",
    ]);
    const granted = await testDb().notification.findMany({ where: { changeId: change.id, kind: "freeze_exception_granted" } });
    expect(granted.map((n) => n.userId)).toEqual([requester.id]);
  });

  it("takes two different people even when one holds both roles", async () => {
    await freezeProduction(80);
    const change = await readyToSchedule(80);
    expect(await requestFreezeException(manager.actor, { changeId: change.id, reason: "Year-end fix." })).toMatchObject({ ok: true });
    expect(await approveFreezeException(manager.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/You asked/),
    });
    expect(await approveFreezeException(both.actor, { changeId: change.id, role: "change_manager" })).toMatchObject({ ok: true });
    expect(await approveFreezeException(both.actor, { changeId: change.id, role: "security_reviewer" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/another person/),
    });
  });

  it("keeps one outcome when both approvers act at once", async () => {
    await freezeProduction(90);
    const change = await readyToSchedule(90);
    expect(await requestFreezeException(requester.actor, { changeId: change.id, reason: "Contract deadline." })).toMatchObject({
      ok: true,
    });
    const results = await Promise.all([
      approveFreezeException(manager.actor, { changeId: change.id, role: "change_manager" }),
      approveFreezeException(manager2.actor, { changeId: change.id, role: "change_manager" }),
      approveFreezeException(security.actor, { changeId: change.id, role: "security_reviewer" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    const row = await testDb().freezeException.findUniqueOrThrow({ where: { changeId: change.id } });
    expect(row.securityApproverId).toBe(security.id);
    expect([manager.id, manager2.id]).toContain(row.managerApproverId);
    const approvals = (await readAuditEvents({ changeId: change.id, limit: 200 })).filter(
      (e) => e.action === "change.freeze_exception_approved",
    );
    expect(approvals).toHaveLength(2);
  });
});

describe("rescheduling", () => {
  it("re-checks conflicts: a scheduled change is never moved into a freeze, and the move is audited", async () => {
    await freezeProduction(100);
    const change = await readyToSchedule(97);
    expect(await act(manager, change.id, "schedule")).toMatchObject({ ok: true });
    const into = { changeId: change.id, plannedStart: inDays(100, 2).toISOString(), plannedEnd: inDays(100, 3).toISOString() };
    const refused = await rescheduleChange(manager.actor, into);
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/inside the freeze "Peak 100".*Move the planned window/) });
    expect(await rescheduleChange(cab[0]!.actor, { ...into, plannedStart: inDays(98).toISOString() })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Only a change manager/),
    });
    const newStart = inDays(98, 2);
    const moved = await rescheduleChange(manager.actor, {
      ...into,
      plannedStart: newStart.toISOString(),
      plannedEnd: inDays(98, 3).toISOString(),
    });
    expect(moved).toMatchObject({ ok: true });
    const row = await testDb().changeRequest.findUniqueOrThrow({ where: { id: change.id } });
    expect(row.plannedStart).toEqual(newStart);
    const last = (await readAuditEvents({ changeId: change.id, limit: 200 })).at(-1)!;
    expect(last.action).toBe("change.rescheduled");
  });

  it("warns about a CI's maintenance window and an overlapping change on the same CI", async () => {
    const first = await readyToSchedule(110);
    expect(await act(manager, first.id, "schedule")).toMatchObject({ ok: true });
    const start = inDays(110, 1);
    // A slot that ends before the change does.
    const slot = { ciId: first.ciId, weekday: start.getUTCDay(), start: "00:00", hours: 0.5 };
    expect(await addMaintenanceWindow(manager.actor, slot)).toMatchObject({ ok: false });
    expect(await addMaintenanceWindow(admin.actor, slot)).toMatchObject({ ok: true });
    const second = await createChangeDraft(
      requester.actor,
      completeDraft([first.ciId], { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() }),
    );
    const row = await testDb().changeRequest.findUniqueOrThrow({ where: { id: second.ok ? second.value.id : "" }, include: { cis: true } });
    const conflicts = (await loadConflicts(testDb(), [toScheduledChange(row)])).get(row.id)!;
    expect(conflicts.map((c) => c.kind).sort()).toEqual(["maintenance", "overlap"]);
    expect(conflicts.find((c) => c.kind === "overlap")!.other!.id).toBe(first.id);
  });

  it("warns about an overlapping change on a CI that depends on this one's, as soon as the dependency is recorded", async () => {
    const first = await readyToSchedule(120);
    expect(await act(manager, first.id, "schedule")).toMatchObject({ ok: true });
    const dependent = await createTestCi();
    const start = inDays(120, 1);
    const second = await createChangeDraft(
      requester.actor,
      completeDraft([dependent.id], { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() }),
    );
    const row = await testDb().changeRequest.findUniqueOrThrow({ where: { id: second.ok ? second.value.id : "" }, include: { cis: true } });
    const conflictsOf = async () => (await loadConflicts(testDb(), [toScheduledChange(row)])).get(row.id)!;
    expect(await conflictsOf()).toEqual([]);
    // The graph is kept in memory between calls; recording the dependency must be seen at once.
    await testDb().ciDependency.create({ data: { ciId: dependent.id, dependsOnId: first.ciId } });
    const [overlap] = await conflictsOf();
    expect(overlap).toMatchObject({ kind: "overlap", severity: "warning", other: { id: first.id } });
    expect(overlap!.message).toContain("'s dependencies");
  });
});

describe("notifications", () => {
  it("tell approvers a vote is awaited and the requester the outcome, in the step's transaction", async () => {
    const change = await readyToSchedule(120);
    const awaited = await testDb().notification.findMany({ where: { changeId: change.id, kind: "vote_awaited" } });
    expect(awaited.length).toBeGreaterThan(0);
    expect(awaited.map((n) => n.userId)).not.toContain(requester.id);
    expect(await act(manager, change.id, "schedule")).toMatchObject({ ok: true });
    expect(await testDb().notification.count({ where: { changeId: change.id, kind: "change_approved", userId: requester.id } })).toBe(1);
  });

  it("make an implementation due exactly once by the sweep, and are marked read only by their owner", async () => {
    const change = await readyToSchedule(130);
    expect(await act(manager, change.id, "schedule")).toMatchObject({ ok: true });
    const sweptAt = new Date(inDays(130).getTime() - 3_600_000);
    await sweepNotifications(implementer.actor, sweptAt);
    await sweepNotifications(implementer.actor, sweptAt);
    const due = await testDb().notification.findMany({ where: { changeId: change.id, kind: "implementation_due" } });
    expect(due.map((n) => n.userId)).toEqual([implementer.id]);
    expect(await markNotificationsRead(manager.actor, { id: due[0]!.id })).toMatchObject({ ok: false });
    const before = await unreadCount(implementer.id);
    expect(await markNotificationsRead(implementer.actor, { id: due[0]!.id })).toMatchObject({ ok: true });
    expect(await unreadCount(implementer.id)).toBe(before - 1);
    await markNotificationsRead(implementer.actor, { all: true });
    expect(await unreadCount(implementer.id)).toBe(0);
  });
});
