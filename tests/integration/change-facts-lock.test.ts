import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { addComment } from "@/lib/server/changes/add-comment";
import { inTransaction } from "@/lib/server/db/transaction";
import { castVote } from "@/lib/server/changes/cast-vote";
import { lockChangeFacts } from "@/lib/server/changes/load-change-facts";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { someoneWaits } from "../support/statements";

// lockChangeFacts reads the lock and the facts in one statement. A step that waited for the lock
// must still decide on what the step before it committed, relations (votes) included.
type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, security: U, cabA: U, cabB: U;

async function inAuthorization(): Promise<string> {
  const created = await createChangeDraft(
    requester.actor,
    completeDraft([(await createTestCi({ criticality: 4, exposure: "internet_facing" })).id]),
  );
  if (!created.ok) throw new Error(created.message);
  const id = created.value.id;
  await performChangeAction(requester.actor, { changeId: id, action: "submit" });
  await performChangeAction(manager.actor, { changeId: id, action: "start_assessment" });
  for (const i of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } })) {
    await signOffItem(i.signerRole === "security_reviewer" ? security.actor : manager.actor, {
      changeId: id,
      key: i.key,
      evidence: "Checked.",
    });
  }
  const asked = await performChangeAction(manager.actor, { changeId: id, action: "request_authorization" });
  if (!asked.ok) throw new Error(asked.message);
  return id;
}

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  cabA = await createTestUser({ roles: ["cab_member"] });
  cabB = await createTestUser({ roles: ["cab_member"] });
}, 60_000);

describe("lockChangeFacts", () => {
  it("sees a vote committed while it waited for the lock", async () => {
    const id = await inAuthorization();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A holds the lock, votes, and commits only once B is waiting behind it.
    const a = inTransaction(async (tx) => {
      const [locked] = await tx.$queryRaw<
        { approval_round: number }[]
      >`SELECT approval_round FROM change_requests WHERE id = ${id}::uuid FOR UPDATE`;
      const round = await tx.approvalRound.findUniqueOrThrow({
        where: { changeId_number: { changeId: id, number: locked!.approval_round } },
      });
      // What a vote step writes: the vote and the version bump.
      await tx.vote.create({ data: { roundId: round.id, changeId: id, voterId: cabA.id, role: "cab_member", decision: "approve" } });
      await tx.changeRequest.update({ where: { id }, data: { version: { increment: 1 } } });
      await gate;
    });
    await new Promise((r) => setTimeout(r, 100));
    const b = inTransaction((tx) => lockChangeFacts(tx, id));
    await someoneWaits();
    release();
    await a;
    const facts = await b;
    expect(facts?.votes.map((v) => v.voterId)).toContain(cabA.id);
  });

  it("with the audit head: takes it after the change, and reads the head an event committed meanwhile", async () => {
    const id = await inAuthorization();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = inTransaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM change_requests WHERE id = ${id}::uuid FOR UPDATE`;
      await tx.changeRequest.update({ where: { id }, data: { version: { increment: 1 } } });
      const appended = await appendAuditEvent(tx, {
        actor: cabA.actor,
        action: "test.meanwhile",
        entityType: "change",
        entityId: id,
        changeId: id,
      });
      await gate;
      return appended;
    });
    await new Promise((r) => setTimeout(r, 100));
    const b = inTransaction((tx) => lockChangeFacts(tx, id, { auditHead: true }));
    await someoneWaits();
    release();
    const appended = await a;
    expect((await b)?.auditHead).toEqual(appended);
  });

  it("keeps one verifiable chain with votes, actions and comments racing on one change", async () => {
    const id = await inAuthorization();
    const results = await Promise.all([
      castVote(cabA.actor, { changeId: id, role: "cab_member", decision: "approve" }),
      performChangeAction(manager.actor, { changeId: id, action: "cancel", reason: "Racing." }),
      castVote(cabB.actor, { changeId: id, role: "cab_member", decision: "approve" }),
      addComment(requester.actor, { changeId: id, body: "Meanwhile." }),
    ]);
    // Each one either happened or was refused with a reason: no deadlock, no error.
    for (const r of results) expect(r.ok || (r as { message: string }).message.length > 0).toBe(true);
    expect(verifyChain(await readAuditEvents({ limit: 100_000 }))).toMatchObject({ ok: true });
  });

  it("lets two approvers voting at once both count: each decides on the other's vote", async () => {
    const id = await inAuthorization();
    const results = await Promise.all(
      [cabA, cabB].map((u) => castVote(u.actor, { changeId: id, role: "cab_member", decision: "approve" })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const facts = await inTransaction((tx) => lockChangeFacts(tx, id));
    expect(facts?.votes.map((v) => v.voterId).sort()).toEqual([cabA.id, cabB.id].sort());
  });
});
