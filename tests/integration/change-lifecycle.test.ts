import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { recordBackoutTest } from "../support/record-backout-test";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, cab: U[], security: U, implementer: U;

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester", "cab_member"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  security = await createTestUser({ roles: ["security_reviewer"] });
  implementer = await createTestUser({ roles: ["implementer"] });
});

async function draft(overrides: Record<string, unknown> = {}, ciOptions: Parameters<typeof createTestCi>[0] = {}) {
  const ci = await createTestCi(ciOptions);
  const created = await createChangeDraft(requester.actor, completeDraft([ci.id], overrides));
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}
const act = (who: U, changeId: string, action: string, extra: Record<string, unknown> = {}) =>
  performChangeAction(who.actor, { changeId, action, ...extra });
const state = async (id: string) => (await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).state;
const eventsOf = (changeId: string) => readAuditEvents({ changeId, limit: 1000 });

/** Signs every checklist item of the change by someone holding the item's signer role. */
async function signAll(changeId: string) {
  const items = await testDb().checklistItem.findMany({ where: { changeId, status: "pending" } });
  for (const item of items) {
    const signer = item.signerRole === "security_reviewer" ? security : manager;
    const result = await signOffItem(signer.actor, { changeId, key: item.key, evidence: `Evidence for ${item.key}` });
    expect(result, item.key).toMatchObject({ ok: true });
  }
}

/** Casts the approvals the change's policy asks for. */
async function approveAsPolicyRequires(changeId: string) {
  const change = await testDb().changeRequest.findUniqueOrThrow({ where: { id: changeId } });
  const requirement = requiredApprovals({
    type: change.type,
    risk: change.riskLevel ? { level: change.riskLevel, summary: "" } : null,
    flags: { ...change, frameworkTags: change.frameworkTags },
  });
  const pool = { change_manager: [manager], cab_member: cab, security_reviewer: [security] };
  for (const rule of requirement.rules) {
    for (const voter of pool[rule.role].slice(0, rule.count)) {
      expect(await castVote(voter.actor, { changeId, role: rule.role, decision: "approve", comment: "Looks right." })).toMatchObject({
        ok: true,
      });
    }
  }
}

describe("a normal change, end to end", () => {
  it("goes from draft to closed, one audit event per accepted action, on a verifiable chain", async () => {
    const id = await draft({ touchesAuth: true }, { criticality: 3, exposure: "internet_facing" });
    expect(await act(requester, id, "submit")).toMatchObject({ ok: true });
    const submitted = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { checklist: true } });
    expect(submitted).toMatchObject({ state: "submitted", approvalRound: 1 });
    expect(submitted.riskScore).toBeGreaterThan(0);
    expect(submitted.checklist.map((i) => i.key)).toContain("sast_dast");

    expect(await act(manager, id, "start_assessment")).toMatchObject({ ok: true });
    await signAll(id);
    expect(await act(manager, id, "request_authorization")).toMatchObject({ ok: true });
    await approveAsPolicyRequires(id);
    expect(await assignImplementer(manager.actor, { changeId: id, implementerId: implementer.id })).toMatchObject({ ok: true });
    expect(await act(manager, id, "schedule")).toMatchObject({ ok: true });
    // The window opens tomorrow; starting today is a deliberate, explained choice.
    expect(await act(implementer, id, "start_implementation", { reason: "The service owner asked for it today." })).toMatchObject({
      ok: true,
    });
    expect(await act(implementer, id, "record_outcome", { outcome: "successful", outcomeNotes: "All green." })).toMatchObject({ ok: true });
    const review = { worksAsIntended: true, securityControlsInPlace: true, monitoringCovers: true, documentationUpdated: true };
    expect(await act(manager, id, "close", { review })).toMatchObject({ ok: true });
    expect(await state(id)).toBe("closed");

    const events = await eventsOf(id);
    const transitions = events.filter((e) =>
      [
        "change.submitted",
        "change.assessment_started",
        "change.authorization_requested",
        "change.scheduled",
        "change.implementation_started",
        "change.outcome_recorded",
        "change.closed",
      ].includes(e.action),
    );
    expect(transitions.map((e) => (e.after as { state: string }).state)).toEqual([
      "submitted",
      "assessment",
      "authorization",
      "scheduled",
      "implementing",
      "review",
      "closed",
    ]);
    expect(events.filter((e) => e.action === "change.action_refused")).toEqual([]);
    expect(verifyChain(await readAuditEvents({ limit: 100_000 }))).toMatchObject({ ok: true });
  });
});

describe("starting implementation outside the approved window", () => {
  async function scheduled() {
    const id = await draft();
    expect(await act(requester, id, "submit")).toMatchObject({ ok: true });
    expect(await act(manager, id, "start_assessment")).toMatchObject({ ok: true });
    await signAll(id);
    expect(await act(manager, id, "request_authorization")).toMatchObject({ ok: true });
    await approveAsPolicyRequires(id);
    expect(await assignImplementer(manager.actor, { changeId: id, implementerId: implementer.id })).toMatchObject({ ok: true });
    expect(await act(manager, id, "schedule")).toMatchObject({ ok: true });
    return testDb().changeRequest.findUniqueOrThrow({ where: { id } });
  }
  const start = (id: string, now: Date, reason?: string) =>
    performChangeAction(implementer.actor, { changeId: id, action: "start_implementation", reason }, now);
  const lastEvent = async (id: string) => (await eventsOf(id)).at(-1)!;

  it("refuses before the window without a reason, and records the refusal", async () => {
    const change = await scheduled();
    const early = new Date(change.plannedStart!.getTime() - 60_000);
    for (const reason of [undefined, "", "   "]) {
      const refused = await start(change.id, early, reason);
      expect(refused).toMatchObject({
        ok: false,
        message: expect.stringMatching(/^The approved window opens .* Give the reason for starting outside the window/),
      });
    }
    expect(await state(change.id)).toBe("scheduled");
    expect(await lastEvent(change.id)).toMatchObject({ action: "change.action_refused", after: { attempted: "start_implementation" } });
  });

  it("starts before the window with a reason, which the audit event keeps", async () => {
    const change = await scheduled();
    const early = new Date(change.plannedStart!.getTime() - 3_600_000);
    expect(await start(change.id, early, "  The vendor's engineer is only here this morning.  ")).toMatchObject({ ok: true });
    expect(await state(change.id)).toBe("implementing");
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.implementation_started",
      reason: "The vendor's engineer is only here this morning.",
      before: { state: "scheduled" },
      after: { state: "implementing", outsideWindow: "before" },
    });
  });

  it("refuses after the window without a reason; with one, records it", async () => {
    const change = await scheduled();
    const late = new Date(change.plannedEnd!.getTime() + 60_000);
    expect(await start(change.id, late)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^The approved window closed .*: starting now is after it/),
    });
    expect(await start(change.id, late, "The incident bridge held us until now.")).toMatchObject({ ok: true });
    expect(await lastEvent(change.id)).toMatchObject({
      action: "change.implementation_started",
      reason: "The incident bridge held us until now.",
      after: { outsideWindow: "after" },
    });
  });

  it("asks nothing inside the window", async () => {
    const change = await scheduled();
    expect(await start(change.id, new Date(change.plannedStart!.getTime() + 60_000))).toMatchObject({ ok: true });
    const event = await lastEvent(change.id);
    expect(event).toMatchObject({ action: "change.implementation_started", reason: null });
    expect(event.after).not.toHaveProperty("outsideWindow");
  });
});

describe("refusals, in words", () => {
  it("refuses to submit an incomplete draft and names what is missing", async () => {
    const id = await draft({ backoutPlan: "", ciIds: [] });
    const result = await act(requester, id, "submit");
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.message).toContain("Write the backout plan.");
    expect(!result.ok && result.message).toContain("Name at least one affected configuration item.");
    expect(await state(id)).toBe("draft");
    expect((await eventsOf(id)).at(-1)).toMatchObject({ action: "change.action_refused" });
  });

  it("refuses a requester's vote on their own change, though they hold the CAB role", async () => {
    const id = await draft();
    await act(requester, id, "submit");
    await act(manager, id, "start_assessment");
    await signAll(id);
    await act(manager, id, "request_authorization");
    const result = await castVote(requester.actor, { changeId: id, role: "cab_member", decision: "approve" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/request|own change/i);
    expect(await testDb().vote.count({ where: { changeId: id } })).toBe(0);
  });

  it("refuses a rejection without a reason, a vote without a decision, and a waiver from someone who is not a security reviewer", async () => {
    const id = await draft({ touchesAuth: true });
    await act(requester, id, "submit");
    await act(manager, id, "start_assessment");
    const waiver = await waiveItem(manager.actor, { changeId: id, key: "sast_dast", compensatingControl: "WAF rule", residualRisk: "Low" });
    expect(waiver.ok).toBe(false);
    await signAll(id);
    await act(manager, id, "request_authorization");
    const vote = await castVote(cab[0]!.actor, { changeId: id, role: "cab_member", decision: "reject", comment: "  " });
    expect(vote.ok).toBe(false);
    // No decision is never read as one (issue 29): a form with nothing chosen sends none, or "" at most.
    for (const decision of [undefined, null, ""]) {
      expect(await castVote(cab[0]!.actor, { changeId: id, role: "cab_member", decision, comment: "Fine." })).toEqual({
        ok: false,
        message: "Choose approve, reject or abstain.",
      });
    }
    expect(await testDb().vote.count({ where: { changeId: id } })).toBe(0);
  });

  it("refuses a stale version and changes nothing", async () => {
    const id = await draft();
    const { version } = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
    await act(requester, id, "submit", { version });
    const stale = await act(requester, id, "withdraw", { version, reason: "no longer needed" });
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining("updated by someone else") });
    expect(await state(id)).toBe("submitted");
  });
});

describe("concurrency against the real database", () => {
  async function inAuthorization() {
    const id = await draft();
    await act(requester, id, "submit");
    await act(manager, id, "start_assessment");
    await recordBackoutTest(manager.actor, id);
    await signAll(id);
    await act(manager, id, "request_authorization");
    return id;
  }

  it("20 simultaneous votes by one approver give one vote", async () => {
    // A low-risk normal change needs the change manager's approval.
    const id = await inAuthorization();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => castVote(manager.actor, { changeId: id, role: "change_manager", decision: "approve" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await testDb().vote.count({ where: { changeId: id } })).toBe(1);
    expect((await eventsOf(id)).filter((e) => e.action === "change.vote_cast")).toHaveLength(1);
  });

  it("a double submit gives one transition", async () => {
    const id = await draft();
    const results = await Promise.all([act(requester, id, "submit"), act(requester, id, "submit")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await eventsOf(id)).filter((e) => e.action === "change.submitted")).toHaveLength(1);
    expect(await testDb().approvalRound.count({ where: { changeId: id } })).toBe(1);
  });

  it("an approval racing a rejection ends in one outcome, the one the audit log records", async () => {
    const id = await inAuthorization();
    await approveAsPolicyRequires(id);
    const [scheduled, rejected] = await Promise.all([
      act(manager, id, "schedule"),
      act(manager, id, "reject", { reason: "Conflicts with the quarter close." }),
    ]);
    expect([scheduled.ok, rejected.ok].filter(Boolean)).toHaveLength(1);
    const final = await state(id);
    const outcomes = (await eventsOf(id)).filter((e) => e.action === "change.scheduled" || e.action === "change.rejected");
    expect(outcomes).toHaveLength(1);
    expect((outcomes[0]!.after as { state: string }).state).toBe(final);
  });

  it("50 parallel actions on different changes leave one gap-free, verifiable chain", async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => draft()));
    const results = await Promise.all(ids.map((id) => act(requester, id, "submit")));
    expect(results.every((r) => r.ok)).toBe(true);
    const all = await readAuditEvents({ limit: 100_000 });
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(verifyChain(all)).toMatchObject({ ok: true });
  });
});
