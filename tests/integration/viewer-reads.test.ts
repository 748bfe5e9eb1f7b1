import { beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint, readCheckpoints, readKeyRotations } from "@/lib/server/audit-verification/read-checkpoints";
import { takeCheckpoint } from "@/lib/server/audit/checkpoints";
import { HIDDEN } from "@/lib/server/auth/viewer-read";
import { getChangeForViewer } from "@/lib/server/changes/get-change";
import { listChanges } from "@/lib/server/changes/list-changes";
import { listImplementerWork, listSecurityQueue } from "@/lib/server/changes/list-work-queues";
import { inTransaction } from "@/lib/server/db/transaction";
import { calendarWindow, forwardSchedule } from "@/lib/server/schedule/calendar";
import { getFreeze, listFreezes } from "@/lib/server/schedule/list-freezes";
import { getUser, listUsers } from "@/lib/server/users/list-users";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// Page reads take the viewer and decide what they may see themselves (issue 30, item 4): a change
// they may not open reads as hidden (the change page's 403) and is left out of every list; a read
// only some roles may make refuses anyone else with the 403 page, recorded as a denial.

type User = Awaited<ReturnType<typeof createTestUser>>;
let requester: User, other: User;
let own: string, theirs: string, implemented: string;
const DAY = 86_400_000;
const soon = { plannedStart: new Date(Date.now() + DAY), plannedEnd: new Date(Date.now() + DAY + 3_600_000) };
const stamp = `viewer-${Date.now()}`;

async function change(by: User, title: string, data: Record<string, unknown> = {}) {
  const created = await testDb().changeRequest.create({
    data: { type: "normal", state: "scheduled", title: `${stamp} ${title}`, requesterId: by.id, ...soon, ...data },
    select: { id: true },
  });
  return created.id;
}

const denialsOf = async (userId: string) =>
  (await testDb().auditEvent.findMany({ where: { actorId: userId, action: "authorization.denied" }, orderBy: { seq: "asc" } })).map(
    (e) => e.entityId,
  );

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  other = await createTestUser({ roles: ["requester"] });
  own = await change(requester, "own");
  theirs = await change(other, "theirs", { state: "assessment" });
  implemented = await change(other, "implemented by me", { implementerId: requester.id });
  await testDb().checklistItem.create({
    data: { changeId: theirs, key: "threat_model", title: "Threat model", signerRole: "security_reviewer", evidenceWanted: "A link." },
  });
});

describe("one change", () => {
  it("is found for its requester, its implementer and those who see every change; hidden from anyone else", async () => {
    expect(await getChangeForViewer(requester.actor, own)).toMatchObject({ id: own });
    expect(await getChangeForViewer(requester.actor, implemented)).toMatchObject({ id: implemented });
    expect(await getChangeForViewer(requester.actor, theirs)).toBe(HIDDEN);
    // An admin does not see every change (they read one through the audit history).
    expect(await getChangeForViewer(readerWith(["admin"]), theirs)).toBe(HIDDEN);
    for (const role of ["change_manager", "cab_member", "security_reviewer", "implementer", "auditor"] as const)
      expect(await getChangeForViewer(readerWith([role]), theirs), role).toMatchObject({ id: theirs });
  });

  it("is null, as a missing one, for an id that names nothing or is no id", async () => {
    expect(await getChangeForViewer(readerWith(["auditor"]), crypto.randomUUID())).toBeNull();
    expect(await getChangeForViewer(readerWith(["auditor"]), "CHG-000001")).toBeNull();
  });
});

describe("lists of changes", () => {
  it("hold only the changes the viewer may open, also past the first page", async () => {
    const ids = async (viewer: { id: string; roles: User["actor"]["roles"] }, mine = false) => {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await listChanges(viewer, { q: stamp, after }, { mine });
        seen.push(...page.rows.map((r) => r.id));
        after = page.nextCursor ?? undefined;
      } while (after);
      return seen.sort();
    };
    expect(await ids(requester.actor)).toEqual([own, implemented].sort());
    expect(await ids(requester.actor, true)).toEqual([own]);
    expect(await ids(readerWith(["auditor"]))).toEqual([own, theirs, implemented].sort());
    expect(await ids(readerWith(["admin"]))).toEqual([]);
  });

  it("keep the viewer's filter on the pages after the first", async () => {
    // More of the requester's own than a page holds, and someone else's among them.
    // Two days on, so the calendar's first page below still starts with the changes it looks for.
    const later = { plannedStart: new Date(Date.now() + 2 * DAY), plannedEnd: new Date(Date.now() + 2 * DAY + 3_600_000) };
    const extra = await Promise.all(Array.from({ length: 26 }, (_, i) => change(requester, `page ${i}`, later)));
    const first = await listChanges(requester.actor, { q: `${stamp} page` });
    expect(first.nextCursor).not.toBeNull();
    await change(other, "page hidden", later);
    const second = await listChanges(requester.actor, { q: `${stamp} page`, after: first.nextCursor! });
    expect([...first.rows, ...second.rows].map((r) => r.id).sort()).toEqual(extra.sort());
  });

  it("the calendar shows every scheduled change but lets the viewer open only those they may", async () => {
    const window = { start: new Date(Date.now()), end: new Date(Date.now() + 3 * DAY) };
    const { changes } = await calendarWindow(requester.actor, window, { view: "month", ci: undefined });
    const openable = Object.fromEntries(changes.filter((c) => c.title.startsWith(stamp)).map((c) => [c.id, c.canOpen]));
    expect(openable[own]).toBe(true);
    expect(openable[implemented]).toBe(true);
    const hiddenScheduled = await change(other, "scheduled, not mine");
    const forward = await forwardSchedule(requester.actor, { view: "list" });
    const row = (id: string) => forward.rows.find((r) => r.id === id);
    expect(row(hiddenScheduled)?.canOpen).toBe(false);
    expect(row(own)?.canOpen).toBe(true);
    expect(row(own)).not.toHaveProperty("requester_id");
    expect((await forwardSchedule(readerWith(["cab_member"]), { view: "list" })).rows.find((r) => r.id === hiddenScheduled)?.canOpen).toBe(
      true,
    );
  });

  it("the security queue holds items only for security reviewers; the implementer's work only their own", async () => {
    expect((await listSecurityQueue(readerWith(["security_reviewer"]))).rows.map((r) => r.change.id)).toContain(theirs);
    expect((await listSecurityQueue(readerWith(["change_manager", "cab_member", "implementer"]))).rows).toEqual([]);
    expect((await listImplementerWork(requester.actor)).rows.map((r) => r.id)).toEqual([implemented]);
    expect((await listImplementerWork(other.actor)).rows).toEqual([]);
  });
});

describe("reads only some roles may make", () => {
  it("users: admins only", async () => {
    const admin = readerWith(["admin"]);
    expect((await listUsers(admin, { query: requester.email })).rows.map((u) => u.id)).toEqual([requester.id]);
    expect((await getUser(admin, requester.id))?.email).toBe(requester.email);
    expect(await getUser(admin, "nobody")).toBeNull();
    // A service account is no user: it has its own page, and the user page's password reset would not apply.
    const bot = await createServiceAccount((await createTestUser({ roles: ["admin"] })).actor, { name: "Bot", roles: ["requester"] });
    expect(bot.ok).toBe(true);
    if (bot.ok) expect(await getUser(admin, bot.value.id)).toBeNull();
    const manager = await createTestUser({ roles: ["change_manager", "auditor"] });
    await expect(listUsers(manager.actor, {})).rejects.toMatchObject(FORBIDDEN);
    await expect(getUser(manager.actor, requester.id)).rejects.toMatchObject(FORBIDDEN);
    expect(await denialsOf(manager.id)).toEqual(["read:users.manage", "read:users.manage"]);
  });

  it("freeze windows: config managers only (the calendar shows them to everyone)", async () => {
    const freeze = await testDb().freezeWindow.create({
      data: { startsAt: soon.plannedStart, endsAt: soon.plannedEnd, reason: `${stamp} freeze`, createdById: requester.id },
      select: { id: true },
    });
    const admin = readerWith(["admin"]);
    expect((await listFreezes(admin, {})).rows.map((f) => f.id)).toContain(freeze.id);
    expect((await getFreeze(admin, freeze.id))?.reason).toBe(`${stamp} freeze`);
    expect(await getFreeze(admin, "nothing")).toBeNull();
    expect(
      (await calendarWindow(requester.actor, { start: new Date(), end: new Date(Date.now() + 3 * DAY) }, { view: "month" })).freezes.map(
        (f) => f.id,
      ),
    ).toContain(freeze.id);
    await expect(listFreezes(requester.actor, {})).rejects.toMatchObject(FORBIDDEN);
    await expect(getFreeze(requester.actor, freeze.id)).rejects.toMatchObject(FORBIDDEN);
    expect(await denialsOf(requester.id)).toEqual(["read:config.manage", "read:config.manage"]);
  });

  it("checkpoints and key rotations: auditors and admins only", async () => {
    await inTransaction((tx) => takeCheckpoint(tx, "on_demand"));
    const [newest] = await readCheckpoints(readerWith(["auditor"]), { limit: 1 });
    expect(newest).toBeDefined();
    expect(await readCheckpoint(readerWith(["admin"]), newest!.id)).toEqual(newest);
    expect(await readKeyRotations(readerWith(["admin"]))).toEqual([]);
    await expect(readCheckpoints(other.actor, { limit: 1 })).rejects.toMatchObject(FORBIDDEN);
    await expect(readCheckpoint(other.actor, newest!.id)).rejects.toMatchObject(FORBIDDEN);
    await expect(readKeyRotations(other.actor)).rejects.toMatchObject(FORBIDDEN);
    expect(await denialsOf(other.id)).toEqual(["read:audit.read", "read:audit.read", "read:audit.read"]);
  });
});
