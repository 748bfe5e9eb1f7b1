import { beforeAll, describe, expect, it } from "vitest";
import { onSchedule } from "@/lib/server/schedule/schedule-cache";
import { overlapping } from "@/lib/domain/schedule-index";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// The changes on the schedule are kept in memory per process; every write that changes what the
// conflict rules read of them must be seen at once, and nothing else should reload them.
let requester: Awaited<ReturnType<typeof createTestUser>>;
beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
});

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse("2031-03-01T00:00:00Z") + days * DAY);

async function scheduledChange(day: number) {
  const ci = await createTestCi();
  const created = await createChangeDraft(
    requester.actor,
    completeDraft([ci.id], { plannedStart: at(day).toISOString(), plannedEnd: new Date(at(day).getTime() + 3_600_000).toISOString() }),
  );
  if (!created.ok) throw new Error(created.message);
  // Straight to "scheduled": this test is about the cache, not the lifecycle.
  await testDb().changeRequest.update({ where: { id: created.value.id }, data: { state: "scheduled" } });
  return { id: created.value.id, ciId: ci.id };
}

const idsAround = async (day: number) =>
  overlapping(await onSchedule(testDb()), { start: at(day), end: new Date(at(day).getTime() + 2 * 3_600_000) }).map((c) => c.id);

describe("the changes on the schedule kept in memory", () => {
  it("are reused while nothing they hold changes, and a vote-like version bump leaves them alone", async () => {
    const change = await scheduledChange(10);
    const first = await onSchedule(testDb());
    expect(await onSchedule(testDb())).toBe(first);
    await testDb().changeRequest.update({
      where: { id: change.id },
      data: { version: { increment: 1 }, rootCause: "not a schedule column" },
    });
    expect(await onSchedule(testDb())).toBe(first);
    expect(await idsAround(10)).toContain(change.id);
  });

  it("follow a new window, a state change, a new CI and a new change at once", async () => {
    const change = await scheduledChange(20);
    expect(await idsAround(20)).toContain(change.id);
    await testDb().changeRequest.update({
      where: { id: change.id },
      data: { plannedStart: at(25), plannedEnd: new Date(at(25).getTime() + 3_600_000) },
    });
    expect(await idsAround(20)).not.toContain(change.id);
    expect(await idsAround(25)).toContain(change.id);

    const other = await createTestCi();
    await testDb().changeCi.create({ data: { changeId: change.id, ciId: other.id } });
    const [held] = overlapping(await onSchedule(testDb()), { start: at(25), end: at(26) }).filter((c) => c.id === change.id);
    expect([...held!.ciIds].sort()).toEqual([change.ciId, other.id].sort());

    await testDb().changeRequest.update({ where: { id: change.id }, data: { state: "closed" } });
    expect(await idsAround(25)).not.toContain(change.id);

    const later = await scheduledChange(25);
    expect(await idsAround(25)).toContain(later.id);
  });

  it("never serve a rolled-back transaction's view for the version a later change commits", async () => {
    const change = await scheduledChange(30);
    await testDb()
      .$transaction(async (tx) => {
        await tx.changeRequest.update({ where: { id: change.id }, data: { state: "closed" } });
        expect(overlapping(await onSchedule(tx), { start: at(30), end: at(31) }).map((c) => c.id)).not.toContain(change.id);
        throw new Error("roll back");
      })
      .catch((e: Error) => expect(e.message).toBe("roll back"));
    await scheduledChange(40);
    expect(await idsAround(30)).toContain(change.id);
  });
});
