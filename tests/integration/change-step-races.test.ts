import { beforeAll, describe, expect, it } from "vitest";
import type { Result } from "@/lib/domain/result";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { STALE_CHANGE } from "@/lib/server/changes/stale-change";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Two people taking the same step on one change at once, through the change runner: one result,
// the audit log records exactly what was done and refused, and the version counts the writes.
type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, manager2: U, security: U, security2: U, implementers: U[];

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  manager2 = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  security2 = await createTestUser({ roles: ["security_reviewer"] });
  implementers = await Promise.all([1, 2].map(() => createTestUser({ roles: ["implementer"] })));
}, 60_000);

async function draft(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id], overrides));
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

const versionOf = async (id: string) => (await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).version;

/** Runs the attempts at once; returns their results, the change's events they wrote, and how far the version moved. */
async function atOnce(changeId: string, attempts: (() => Promise<Result<unknown>>)[]) {
  const [head] = await testDb().$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_chain_head WHERE id = 1`;
  const version = await versionOf(changeId);
  const results = await Promise.all(attempts.map((attempt) => attempt()));
  const events = await readAuditEvents({ afterSeq: Number(head!.seq), changeId, limit: 100 });
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  return { results, events, bumps: (await versionOf(changeId)) - version };
}

describe("the same step by two people at once", () => {
  it("two sign-offs of one item: one signs, the other is told it is signed, both recorded", async () => {
    const id = await draft();
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    const item = await testDb().checklistItem.findFirstOrThrow({ where: { changeId: id, signerRole: "change_manager" } });
    const { results, events, bumps } = await atOnce(
      id,
      [manager, manager2].map((who) => () => signOffItem(who.actor, { changeId: id, key: item.key, evidence: "Checked." })),
    );
    const signer = results[0]!.ok ? manager : manager2;
    expect(events.map((e) => e.action).sort()).toEqual(["change.action_refused", "checklist.signed_off"]);
    expect(events.find((e) => e.action === "checklist.signed_off")?.actorId).toBe(signer.id);
    expect(events.find((e) => e.action === "change.action_refused")?.reason).toMatch(/already signed off/);
    expect(bumps).toBe(1);
    const stored = await testDb().checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ status: "signed", signedById: signer.id });
  });

  it("a sign-off against a waiver of one item: the item is what the accepted event says", async () => {
    const id = await draft({ touchesAuth: true });
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    const { results, events, bumps } = await atOnce(id, [
      () => signOffItem(security.actor, { changeId: id, key: "sast_dast", evidence: "Scan report 42." }),
      () => waiveItem(security2.actor, { changeId: id, key: "sast_dast", compensatingControl: "WAF rule", residualRisk: "Low" }),
    ]);
    const accepted = events.filter((e) => e.action !== "change.action_refused");
    expect(accepted.map((e) => e.action)).toEqual([results[0]!.ok ? "checklist.signed_off" : "checklist.waived"]);
    expect(events).toHaveLength(2);
    expect(bumps).toBe(1);
    const stored = await testDb().checklistItem.findUniqueOrThrow({ where: { changeId_key: { changeId: id, key: "sast_dast" } } });
    expect(stored).toMatchObject({ status: results[0]!.ok ? "signed" : "waived", signedById: accepted[0]!.actorId });
  });

  it("two edits of one version: one is saved, the other is refused as stale, one event", async () => {
    const id = await draft();
    const version = await versionOf(id);
    const ci = (await testDb().changeCi.findFirstOrThrow({ where: { changeId: id } })).ciId;
    const { results, events, bumps } = await atOnce(
      id,
      ["Rotate the edge certificates", "Rotate the TLS chain"].map(
        (title) => () => updateChangeDraft(requester.actor, { ...completeDraft([ci], { title }), changeId: id, version }),
      ),
    );
    expect(results.find((r) => !r.ok)).toMatchObject({ message: STALE_CHANGE });
    expect(events.map((e) => e.action)).toEqual(["change.edited"]);
    expect(bumps).toBe(1);
    const { title } = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
    expect((events[0]!.after as { title: string }).title).toBe(title);
  });

  it("two assignments of one version: one implementer, one event", async () => {
    const id = await draft();
    const version = await versionOf(id);
    const { results, events, bumps } = await atOnce(
      id,
      [manager, manager2].map(
        (who, i) => () => assignImplementer(who.actor, { changeId: id, implementerId: implementers[i]!.id, version }),
      ),
    );
    expect(results.find((r) => !r.ok)).toMatchObject({ message: STALE_CHANGE });
    expect(events.map((e) => e.action)).toEqual(["change.implementer_assigned"]);
    expect(bumps).toBe(1);
    const { implementerId } = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
    expect(implementerId).toBe(implementers[results[0]!.ok ? 0 : 1]!.id);
  });

  it("two reschedules of one version: one window, one event", async () => {
    const id = await draft();
    await performChangeAction(requester.actor, { changeId: id, action: "submit" });
    await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
    for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } }))
      await signOffItem((item.signerRole === "security_reviewer" ? security : manager).actor, {
        changeId: id,
        key: item.key,
        evidence: "Ok.",
      });
    expect(await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" })).toMatchObject({ ok: true });
    const version = await versionOf(id);
    const starts = [2, 3].map((days) => new Date(Date.now() + days * 86_400_000));
    const { results, events, bumps } = await atOnce(
      id,
      [manager, manager2].map((who, i) => () => {
        const end = new Date(starts[i]!.getTime() + 3_600_000);
        return rescheduleChange(who.actor, {
          changeId: id,
          version,
          plannedStart: starts[i]!.toISOString(),
          plannedEnd: end.toISOString(),
        });
      }),
    );
    expect(results.find((r) => !r.ok)).toMatchObject({ message: STALE_CHANGE });
    expect(events.map((e) => e.action)).toEqual(["change.rescheduled"]);
    expect(bumps).toBe(1);
    const { plannedStart } = await testDb().changeRequest.findUniqueOrThrow({ where: { id } });
    expect(plannedStart).toEqual(starts[results[0]!.ok ? 0 : 1]);
  });
});
