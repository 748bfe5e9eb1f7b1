import { beforeAll, describe, expect, it } from "vitest";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { recordBackoutTest } from "../support/record-backout-test";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, other: U, manager: U, security: U;

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  other = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

async function newDraft(overrides: Record<string, unknown> = {}) {
  const ci = await createTestCi();
  const result = await createChangeDraft(requester.actor, completeDraft([ci.id], overrides));
  if (!result.ok) throw new Error(result.message);
  return { id: result.value.id, ciId: ci.id };
}

async function toAuthorization(id: string) {
  await performChangeAction(requester.actor, { changeId: id, action: "submit" });
  await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
  await recordBackoutTest(manager.actor, id);
  for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, status: "pending", preImplementation: false } })) {
    await signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
      changeId: id,
      key: item.key,
      evidence: "Checked the report.",
    });
  }
  expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({ ok: true });
}

describe("editing a draft", () => {
  it("saves the requester's edit with before and after in the audit log", async () => {
    const { id, ciId } = await newDraft();
    const result = await updateChangeDraft(requester.actor, {
      ...completeDraft([ciId], { title: "A better title", cves: "CVE-2026-1234 9.8 exploited" }),
      changeId: id,
      version: 1,
    });
    expect(result).toMatchObject({ ok: true });
    const change = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { cves: true } });
    expect(change).toMatchObject({ title: "A better title", version: 2 });
    expect(change.cves.map((c) => [c.cveId, Number(c.cvssBaseScore), c.knownExploited])).toEqual([["CVE-2026-1234", 9.8, true]]);
    const edit = (await readAuditEvents({ changeId: id, limit: 10 })).find((e) => e.action === "change.edited")!;
    expect(edit.before).toMatchObject({ title: "Rotate TLS certificates" });
    expect(edit.after).toMatchObject({ title: "A better title" });
  });

  it("refuses someone else's draft, a stale version, and a draft that has left draft", async () => {
    const { id, ciId } = await newDraft();
    const fields = completeDraft([ciId], { title: "Hijacked" });
    expect(await updateChangeDraft(other.actor, { ...fields, changeId: id, version: 1 })).toMatchObject({
      ok: false,
      message: "Only the requester can edit a draft.",
    });
    await updateChangeDraft(requester.actor, { ...fields, title: "First save", changeId: id, version: 1 });
    expect(await updateChangeDraft(requester.actor, { ...fields, title: "Second tab", changeId: id, version: 1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining("updated by someone else"),
    });
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    expect(await updateChangeDraft(requester.actor, { ...fields, changeId: id, version: 3 })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Only a change manager can edit a change under assessment"),
    });
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).title).toBe("First save");
  });

  it("lets the change manager reclassify during assessment: the risk is scored again and the checklist follows the flags", async () => {
    const { id, ciId } = await newDraft();
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
    const before = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { checklist: true } });
    expect(before.checklist.map((i) => i.key)).not.toContain("sast_dast");
    const result = await updateChangeDraft(manager.actor, {
      ...completeDraft([ciId], { touchesAuth: true, cves: "CVE-2026-7777 9.8 exploited" }),
      changeId: id,
      version: before.version,
    });
    expect(result).toMatchObject({ ok: true });
    const after = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { checklist: true } });
    expect(after.riskScore).toBeGreaterThan(before.riskScore!);
    expect(after.checklist.map((i) => i.key)).toContain("sast_dast");
    expect(after.state).toBe("assessment");
  });

  it("keeps field errors for the form: window order and CVE lines", async () => {
    const ci = await createTestCi();
    const start = new Date(Date.now() + 86_400_000);
    const window = await createChangeDraft(
      requester.actor,
      completeDraft([ci.id], { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() - 1000).toISOString() }),
    );
    expect(window).toMatchObject({ ok: false, fieldErrors: { plannedEnd: "The window must end after it starts." } });
    const cves = await createChangeDraft(requester.actor, completeDraft([ci.id], { cves: "CVE-2026-1234 9.8\nCVE-2026-1 99" }));
    expect(cves).toMatchObject({ ok: false, fieldErrors: { cves: expect.stringContaining("Line 2") } });
  });

  it("refuses a template or CI that does not exist on its field, in a new draft and an edit (found by the use-case fuzz)", async () => {
    const ci = await createTestCi();
    const missing = "2744d218-21c5-40c4-ab79-ab7e6203cecb";
    const fieldErrors = { templateId: "That template does not exist.", ciIds: "A chosen configuration item does not exist." };
    expect(await createChangeDraft(requester.actor, completeDraft([ci.id, missing], { templateId: missing }))).toMatchObject({
      ok: false,
      fieldErrors,
    });
    const { id } = await newDraft();
    expect(
      await updateChangeDraft(requester.actor, { ...completeDraft([missing], { templateId: missing }), changeId: id, version: 1 }),
    ).toMatchObject({
      ok: false,
      fieldErrors,
    });
  });
});

describe("rework and cancellation", () => {
  it("returns a change for rework to draft, counts the rework, and starts a new round without the old votes", async () => {
    const { id } = await newDraft();
    await toAuthorization(id);
    expect(await castVote(manager.actor, { changeId: id, role: "change_manager", decision: "approve" })).toMatchObject({ ok: true });
    expect(await performChangeAction(manager.actor, { changeId: id, action: "return_for_rework" })).toMatchObject({
      ok: false,
      message: "Say what needs rework.",
    });
    expect(
      await performChangeAction(manager.actor, { changeId: id, action: "return_for_rework", reason: "Add the monitoring step." }),
    ).toMatchObject({ ok: true });
    expect(await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      state: "draft",
      reworkCount: 1,
      approvalRound: 1,
    });

    await toAuthorization(id);
    const change = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
    expect(change.approvalRound).toBe(2);
    // The approval of round 1 does not count in round 2: the manager votes again.
    expect(await performChangeAction(manager.actor, { changeId: id, action: "schedule" })).toMatchObject({ ok: false });
    expect(await castVote(manager.actor, { changeId: id, role: "change_manager", decision: "approve" })).toMatchObject({ ok: true });
    const rework = (await readAuditEvents({ changeId: id, limit: 100 })).find((e) => e.action === "change.returned_for_rework");
    expect(rework).toMatchObject({ reason: "Add the monitoring step.", after: { state: "draft" } });
  });

  it("lets the manager cancel with a reason, and then nothing more can happen", async () => {
    const { id } = await newDraft();
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    expect(await performChangeAction(manager.actor, { changeId: id, action: "cancel", reason: "Superseded by CHG-9." })).toMatchObject({
      ok: true,
    });
    const after = await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
    expect(after).toMatchObject({ ok: false, message: expect.stringContaining("nothing more can happen") });
  });
});

describe("comments", () => {
  it("lets anyone who may see the change comment, audited; others are refused", async () => {
    const { addComment } = await import("@/lib/server/changes/add-comment");
    const { id } = await newDraft();
    expect(await addComment(requester.actor, { changeId: id, body: "Can this run on Friday?" })).toMatchObject({ ok: true });
    expect(await addComment(manager.actor, { changeId: id, body: "Friday is fine." })).toMatchObject({ ok: true });
    expect(await addComment(other.actor, { changeId: id, body: "Let me in" })).toMatchObject({
      ok: false,
      message: "You cannot see this change, so you cannot comment on it.",
    });
    expect(await addComment(requester.actor, { changeId: id, body: "   " })).toMatchObject({
      ok: false,
      fieldErrors: { body: "Write a comment first." },
    });
    expect((await testDb().comment.findMany({ where: { changeId: id }, orderBy: { createdAt: "asc" } })).map((c) => c.body)).toEqual([
      "Can this run on Friday?",
      "Friday is fine.",
    ]);
    expect((await readAuditEvents({ changeId: id, limit: 50 })).filter((e) => e.action === "change.commented")).toHaveLength(2);
  });
});

describe("sign-offs, waivers and assignment", () => {
  it("records a security reviewer's waiver with its control and residual risk; a requester may not sign", async () => {
    const { waiveItem } = await import("@/lib/server/changes/sign-off-item");
    const { id } = await newDraft({ touchesAuth: true });
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    expect(await signOffItem(requester.actor, { changeId: id, key: "sast_dast", evidence: "I checked it myself." })).toMatchObject({
      ok: false,
    });
    expect(await waiveItem(security.actor, { changeId: id, key: "sast_dast", compensatingControl: "", residualRisk: "x" })).toMatchObject({
      ok: false,
      fieldErrors: { compensatingControl: "Name the compensating control." },
    });
    expect(
      await waiveItem(security.actor, {
        changeId: id,
        key: "sast_dast",
        compensatingControl: "WAF rule blocks the endpoint",
        residualRisk: "Low until the scan runs",
      }),
    ).toMatchObject({ ok: true });
    const item = await testDb().checklistItem.findUniqueOrThrow({ where: { changeId_key: { changeId: id, key: "sast_dast" } } });
    expect(item).toMatchObject({
      status: "waived",
      signedById: security.id,
      compensatingControl: "WAF rule blocks the endpoint",
      residualRisk: "Low until the scan runs",
    });
    expect((await readAuditEvents({ changeId: id, limit: 50 })).filter((e) => e.action.includes("waive"))).toHaveLength(1);
  });

  it("refuses to make the requester, or someone who voted, the implementer", async () => {
    const { assignImplementer } = await import("@/lib/server/changes/assign-implementer");
    const { id } = await newDraft();
    await toAuthorization(id);
    const both = await createTestUser({ roles: ["change_manager", "implementer"] });
    await castVote(both.actor, { changeId: id, role: "change_manager", decision: "approve" });
    const selfImplementer = await createTestUser({ roles: ["requester", "implementer"] });
    expect(await assignImplementer(manager.actor, { changeId: id, implementerId: both.id })).toMatchObject({
      ok: false,
      message: expect.stringContaining("voted on this change"),
    });
    expect(await assignImplementer(requester.actor, { changeId: id, implementerId: selfImplementer.id })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Only a change manager"),
    });
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).implementerId).toBeNull();
  });
});
