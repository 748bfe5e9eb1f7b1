import { beforeAll, describe, expect, it } from "vitest";
import { castVote } from "@/lib/server/changes/cast-vote";
import { listCabQueue } from "@/lib/server/changes/list-cab-queue";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, cab: U, security: U;
const ids: Record<string, string> = {};

/** A setup step must succeed, or the queue's assertions would test a change in the wrong state. */
async function done(step: Promise<{ ok: boolean; message?: string }>) {
  const result = await step;
  if (!result.ok) throw new Error(`Setup step refused: ${result.message}`);
}

async function inAuthorization(
  title: string,
  ci: { criticality: number; exposure: "internet_facing" | "internal" },
  draft: Record<string, unknown> = {},
) {
  const item = await createTestCi(ci);
  const created = await createChangeDraft(requester.actor, completeDraft([item.id], { title, ...draft }));
  if (!created.ok) throw new Error(created.message);
  const id = created.value.id;
  await done(performChangeAction(requester.actor, { changeId: id, action: "submit" }));
  await done(performChangeAction(manager.actor, { changeId: id, action: "start_assessment" }));
  for (const i of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } })) {
    await done(
      signOffItem(i.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId: id,
        key: i.key,
        evidence: "Checked the report.",
      }),
    );
  }
  await done(performChangeAction(manager.actor, { changeId: id, action: "request_authorization" }));
  return { id, ciName: item.name };
}

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  cab = await createTestUser({ roles: ["cab_member"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  // Medium risk needs CAB votes; low risk needs only the change manager.
  ids.medium = (await inAuthorization("Medium risk change", { criticality: 4, exposure: "internet_facing" })).id;
  ids.low = (await inAuthorization("Low risk change", { criticality: 1, exposure: "internal" })).id;
  const other = await inAuthorization("Another medium change", { criticality: 4, exposure: "internet_facing" });
  ids.other = other.id;
  ids.otherCi = other.ciName;
});

describe("the CAB queue", () => {
  it("holds the changes whose policy asks for one of my roles, highest risk first, until I vote", async () => {
    const queue = await listCabQueue(cab.actor, { sort: "risk" });
    expect(queue.rows.map((r) => r.id).sort()).toEqual([ids.medium, ids.other].sort());
    await castVote(cab.actor, { changeId: ids.medium, role: "cab_member", decision: "approve" });
    expect((await listCabQueue(cab.actor, { sort: "risk" })).rows.map((r) => r.id)).toEqual([ids.other]);
    expect((await listCabQueue(manager.actor, { sort: "start" })).rows.map((r) => r.id)).toContain(ids.low);
  });

  it("filters by risk and by configuration item name", async () => {
    expect((await listCabQueue(manager.actor, { sort: "risk", risk: "low" })).rows.map((r) => r.id)).toEqual([ids.low]);
    expect((await listCabQueue(cab.actor, { sort: "risk", ci: ids.otherCi })).rows.map((r) => r.id)).toEqual([ids.other]);
    // A CI name is matched as typed: % and _ are not wildcards.
    expect((await listCabQueue(manager.actor, { sort: "risk", ci: "%" })).rows).toEqual([]);
    expect((await listCabQueue(manager.actor, { sort: "risk", ci: "_" })).rows).toEqual([]);
  });

  it("never shows requesters their own changes", async () => {
    const both = await createTestUser({ roles: ["requester", "cab_member"] });
    expect((await listCabQueue({ ...both.actor, id: requester.id }, { sort: "risk" })).rows).toEqual([]);
  });
});

describe("the security reviewer's approvals (the security review page)", () => {
  it("lists the changes awaiting their security approval, and only those, until they vote", async () => {
    // Filed, assessed, signed off and sent for authorization (each step must succeed).
    const { id } = await inAuthorization("Swap the token signer", { criticality: 1, exposure: "internal" }, { touchesAuth: true });

    // A reviewer who is also on the CAB sees, as a security reviewer, only what needs a security vote.
    const both = await createTestUser({ roles: ["security_reviewer", "cab_member"] });
    const asSecurity = (who: U) => listCabQueue(who.actor, { sort: "start" }, ["security_reviewer"]);
    expect((await asSecurity(both)).rows.map((r) => r.id)).toEqual([id]);
    expect((await listCabQueue(both.actor, { sort: "start" })).rows.map((r) => r.id)).toEqual(expect.arrayContaining([id, ids.other]));
    expect((await asSecurity(security)).rows.map((r) => ({ id: r.id, title: r.title }))).toEqual([{ id, title: "Swap the token signer" }]);
    // Someone without the role is shown nothing, whatever is asked.
    expect((await asSecurity(cab)).rows).toEqual([]);

    expect(
      await castVote(security.actor, { changeId: id, role: "security_reviewer", decision: "approve", comment: "Threat model reviewed." }),
    ).toMatchObject({ ok: true });
    expect((await asSecurity(security)).rows).toEqual([]);
    expect((await asSecurity(both)).rows.map((r) => r.id)).toEqual([id]);
  });
});
