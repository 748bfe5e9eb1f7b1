import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
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

  it("a step takes the audit head last: held up in its own writes, it keeps no other writer waiting", async () => {
    const id = await inAuthorization();
    const other = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id]));
    if (!other.ok) throw new Error(other.message);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A holds the change's approval round, which the vote's INSERT must check its key against.
    const a = inTransaction(async (tx) => {
      await tx.$queryRaw`SELECT r.id FROM approval_rounds r JOIN change_requests c ON c.id = r.change_id AND r.number = c.approval_round
        WHERE c.id = ${id}::uuid FOR UPDATE OF r`;
      await gate;
    });
    await new Promise((r) => setTimeout(r, 100));
    const vote = castVote(cabA.actor, { changeId: id, role: "cab_member", decision: "approve" });
    await someoneWaits();
    // The vote holds its change's lock and waits in its write; a comment on another change appends meanwhile.
    const comment = addComment(requester.actor, { changeId: other.value.id, body: "Meanwhile." });
    const within = await Promise.race([comment, new Promise((r) => setTimeout(() => r("still waiting"), 5_000))]);
    release();
    await a;
    expect(within).toMatchObject({ ok: true });
    expect(await vote).toMatchObject({ ok: true });
    const [commented] = await readAuditEvents({ changeId: other.value.id, limit: 10 }).then((es) =>
      es.filter((e) => e.action === "change.commented"),
    );
    const [voted] = await readAuditEvents({ changeId: id, limit: 100 }).then((es) => es.filter((e) => e.action === "change.vote_cast"));
    expect(voted!.seq).toBeGreaterThan(commented!.seq);
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
