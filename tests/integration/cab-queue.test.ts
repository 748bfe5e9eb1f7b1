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

async function inAuthorization(title: string, ci: { criticality: number; exposure: "internet_facing" | "internal" }) {
  const item = await createTestCi(ci);
  const created = await createChangeDraft(requester.actor, completeDraft([item.id], { title }));
  if (!created.ok) throw new Error(created.message);
  const id = created.value.id;
  await performChangeAction(requester.actor, { changeId: id, action: "submit" });
  await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
  for (const i of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } })) {
    await signOffItem(i.signerRole === "security_reviewer" ? security.actor : manager.actor, { changeId: id, key: i.key, evidence: "Checked the report." });
  }
  await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" });
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
  });

  it("never shows requesters their own changes", async () => {
    const both = await createTestUser({ roles: ["requester", "cab_member"] });
    expect((await listCabQueue({ ...both.actor, id: requester.id }, { sort: "risk" })).rows).toEqual([]);
  });
});
