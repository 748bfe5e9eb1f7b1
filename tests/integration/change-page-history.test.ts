import { beforeAll, describe, expect, it } from "vitest";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { readChangeTimeline, TIMELINE_PAGE_SIZE } from "@/lib/server/audit/read-change-timeline";
import { addComment } from "@/lib/server/changes/add-comment";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { COMMENTS_PAGE_SIZE, listChangeComments } from "@/lib/server/changes/list-change-comments";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { completeDraft, createTestCi, createTestUser, readerWith, testDb } from "../support/fixtures";

// The change page shows the latest comments and events and links to earlier pages (keyset).
let changeId: string;
let requester: Awaited<ReturnType<typeof createTestUser>>;
const COMMENTS = 55;
// Someone who sees every change.
const CAB = readerWith(["cab_member"]);

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  const ci = await createTestCi();
  const created = await createChangeDraft(requester.actor, completeDraft([ci.id], { title: "A long discussion" }));
  if (!created.ok) throw new Error(created.message);
  changeId = created.value.id;
  for (let i = 1; i <= COMMENTS - 5; i++) {
    const added = await addComment(requester.actor, { changeId, body: `Comment ${i}` });
    if (!added.ok) throw new Error(added.message);
  }
  // Five at the very same instant: the id breaks the tie, so paging neither skips nor repeats one.
  const at = new Date(Date.now() + 60_000);
  for (let i = COMMENTS - 4; i <= COMMENTS; i++)
    await testDb().comment.create({ data: { changeId, authorId: requester.id, body: `Comment ${i}`, createdAt: at } });
}, 120_000);

describe("change page history", () => {
  it("pages comments newest page first, each page oldest first, every comment exactly once", async () => {
    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listChangeComments(CAB, changeId, before);
      pages.push(page.comments.map((c) => c.body));
      if (!page.earlierBefore) break;
      expect(decodeTimeCursor(page.earlierBefore)).not.toBeNull();
      before = page.earlierBefore;
    }
    expect(pages.map((p) => p.length)).toEqual([COMMENTS_PAGE_SIZE, COMMENTS_PAGE_SIZE, COMMENTS - 2 * COMMENTS_PAGE_SIZE]);
    const all = pages.reverse().flat();
    expect(new Set(all).size).toBe(COMMENTS);
    // Oldest first overall, once the pages are read back to front.
    expect(all.slice(0, 3)).toEqual(["Comment 1", "Comment 2", "Comment 3"]);
    expect(all.slice(-5).sort()).toEqual(["Comment 51", "Comment 52", "Comment 53", "Comment 54", "Comment 55"]);
  });

  it("pages the timeline by sequence number: the latest events, then the ones before", async () => {
    const everything = await readAuditEvents({ changeId, limit: 1_000 });
    expect(everything.length).toBeGreaterThan(TIMELINE_PAGE_SIZE);
    const latest = await readChangeTimeline(CAB, changeId);
    expect(latest.events.map((e) => e.seq)).toEqual(everything.slice(-TIMELINE_PAGE_SIZE).map((e) => e.seq));
    expect(latest.earlierBefore).toBe(latest.events[0]!.seq);
    // Walked back to the first event: full pages, each event once, in order, then no link.
    const pages = [latest.events.map((e) => e.seq)];
    for (let before = latest.earlierBefore; before !== null;) {
      const page = await readChangeTimeline(CAB, changeId, before);
      pages.unshift(page.events.map((e) => e.seq));
      before = page.earlierBefore;
    }
    expect(pages.slice(1).every((p) => p.length === TIMELINE_PAGE_SIZE)).toBe(true);
    expect(pages.flat()).toEqual(everything.map((e) => e.seq));
  });

  it("shows one page and no link for a short history", async () => {
    const someone = await createTestUser({ roles: ["requester"] });
    const created = await createChangeDraft(someone.actor, completeDraft([(await createTestCi()).id]));
    if (!created.ok) throw new Error(created.message);
    expect(await listChangeComments(someone.actor, created.value.id)).toEqual({ comments: [], earlierBefore: null });
    const timeline = await readChangeTimeline(someone.actor, created.value.id);
    expect(timeline.events.length).toBe(1);
    expect(timeline.earlierBefore).toBeNull();
  });

  it("gives a viewer who may not open the change neither its comments nor its events, as for a change that does not exist", async () => {
    // An admin is not among those who see every change (the auditors' evidence view is theirs).
    const other = readerWith(["requester", "admin"]);
    expect(await listChangeComments(other, changeId)).toEqual({ comments: [], earlierBefore: null });
    expect(await readChangeTimeline(other, changeId)).toEqual({ events: [], earlierBefore: null });
    // Its requester, and an implementer assigned to it, read both.
    expect((await listChangeComments(requester.actor, changeId)).comments).toHaveLength(COMMENTS_PAGE_SIZE);
    expect((await readChangeTimeline(requester.actor, changeId)).events.length).toBeGreaterThan(0);
    const implementer = await createTestUser({ roles: ["requester"] });
    await testDb().changeRequest.update({ where: { id: changeId }, data: { implementerId: implementer.id } });
    expect((await listChangeComments(implementer.actor, changeId)).comments).toHaveLength(COMMENTS_PAGE_SIZE);
    expect((await readChangeTimeline(implementer.actor, changeId)).events.length).toBeGreaterThan(0);
  });
});
