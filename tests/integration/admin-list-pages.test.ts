import { describe, expect, it } from "vitest";
import { MAILBOX_RETENTION_DAYS } from "@/lib/domain/dev-mailbox";
import { listMailbox, MAILBOX_PAGE_SIZE, pruneMailbox } from "@/lib/server/deliveries/list-deliveries";
import { TASKS } from "@/lib/server/jobs/add-jobs";
import { FREEZE_PAGE_SIZE, listFreezes } from "@/lib/server/schedule/list-freezes";
import { TASK_LIST } from "@/lib/server/worker/run-worker";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// Admin lists that grow without bound are paged by keyset, and the dev mailbox is pruned nightly.

const DAY = 86_400_000;
const admin = readerWith(["admin"]);
let serial = 0;

function mail(createdAt: Date, data: Record<string, unknown> = {}) {
  serial += 1;
  return {
    messageKey: `pages-${Date.now()}-${serial}@test`,
    channel: "email" as const,
    kind: "change_approved",
    target: "someone@example.test",
    subject: `Mail ${serial}`,
    bodyText: "text",
    bodyHtml: "<p>html</p>",
    status: "sent" as const,
    transport: "mailbox",
    maxAttempts: 8,
    createdAt,
    sentAt: createdAt,
    ...data,
  };
}

async function walk<T extends { id: string }>(read: (after?: string) => Promise<{ rows: T[]; nextCursor: string | null }>, size: number) {
  const seen: T[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const { rows, nextCursor } = await read(after);
    expect(rows.length).toBeLessThanOrEqual(size);
    seen.push(...rows);
    if (!nextCursor) return seen;
    after = nextCursor;
  }
  throw new Error("the pages never ended");
}

describe("the dev mailbox", () => {
  it("pages newest first by keyset, ties by id, and lists only mails that went to the mailbox", async () => {
    const base = Date.now() - DAY;
    // Pairs share a created_at, so the id has to break the tie across a page boundary.
    const mails = Array.from({ length: 2 * MAILBOX_PAGE_SIZE + 5 }, (_, i) => mail(new Date(base + Math.floor(i / 2) * 1000)));
    await testDb().delivery.createMany({ data: mails });
    await testDb().delivery.createMany({
      data: [mail(new Date(), { transport: "smtp" }), mail(new Date(), { status: "pending", sentAt: null, transport: null })],
    });
    const stored = await testDb().delivery.findMany({
      where: { messageKey: { in: mails.map((m) => m.messageKey) } },
      select: { id: true, createdAt: true },
    });
    const expected = stored.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((m) => m.id);

    const first = await listMailbox(admin);
    expect(first.rows).toHaveLength(MAILBOX_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const seen = await walk((after) => listMailbox(admin, { after }), MAILBOX_PAGE_SIZE);
    expect(seen.map((m) => m.id)).toEqual(expected);
    // A cursor that is not one reads as the first page.
    expect((await listMailbox(admin, { after: "nonsense" })).rows.map((m) => m.id)).toEqual(first.rows.map((m) => m.id));
  });

  it("is for admins only", async () => {
    const requester = await createTestUser({ roles: ["requester"] });
    await expect(listMailbox(requester.actor)).rejects.toMatchObject(FORBIDDEN);
  });

  it("deletes mailbox mails older than the retention in the nightly prune, and nothing else", async () => {
    const now = Date.now();
    const old = new Date(now - (MAILBOX_RETENTION_DAYS + 1) * DAY);
    const recent = new Date(now - (MAILBOX_RETENTION_DAYS - 1) * DAY);
    const rows = {
      oldMailbox: mail(old),
      recentMailbox: mail(recent),
      oldSmtp: mail(old, { transport: "smtp" }),
      oldDead: mail(old, { status: "dead", sentAt: null, transport: null, deadAt: old }),
    };
    await testDb().delivery.createMany({ data: Object.values(rows) });
    const left = async () =>
      (
        await testDb().delivery.findMany({
          where: { messageKey: { in: Object.values(rows).map((r) => r.messageKey) } },
          select: { messageKey: true },
        })
      ).map((r) => r.messageKey);

    // The nightly job runs it (the task ignores its payload and helpers).
    await (TASK_LIST[TASKS.pruneCounters] as (payload: unknown, helpers: unknown) => Promise<void>)({}, {});
    expect((await left()).sort()).toEqual([rows.recentMailbox.messageKey, rows.oldSmtp.messageKey, rows.oldDead.messageKey].sort());
    expect(await pruneMailbox()).toBe(0);
    // Once it is past the retention too, the recent one goes.
    expect(await pruneMailbox(new Date(now + 2 * DAY))).toBe(1);
  });
});

describe("freeze windows", () => {
  it("page soonest first by keyset on (start, id), ended ones only when asked", async () => {
    const creator = await createTestUser({ roles: ["change_manager"] });
    const stamp = `pages-${Date.now()}`;
    const start = Date.now() + DAY;
    await testDb().freezeWindow.createMany({
      data: [
        ...Array.from({ length: 2 * FREEZE_PAGE_SIZE + 3 }, (_, i) => ({
          startsAt: new Date(start + Math.floor(i / 2) * 3_600_000),
          endsAt: new Date(start + 10 * DAY),
          reason: `${stamp} upcoming ${i}`,
          createdById: creator.id,
        })),
        { startsAt: new Date(start - 9 * DAY), endsAt: new Date(start - 8 * DAY), reason: `${stamp} ended`, createdById: creator.id },
      ],
    });
    const mine = <T extends { reason: string }>(rows: T[]) => rows.filter((r) => r.reason.startsWith(stamp));
    const stored = await testDb().freezeWindow.findMany({
      where: { reason: { startsWith: stamp } },
      select: { id: true, startsAt: true, reason: true },
    });
    const ordered = stored.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : 1));

    const current = mine(await walk((after) => listFreezes(admin, { after }), FREEZE_PAGE_SIZE));
    expect(current.map((f) => f.id)).toEqual(ordered.filter((f) => !f.reason.endsWith("ended")).map((f) => f.id));
    const all = mine(await walk((after) => listFreezes(admin, { past: true, after }), FREEZE_PAGE_SIZE));
    expect(all.map((f) => f.id)).toEqual(ordered.map((f) => f.id));
  });
});
