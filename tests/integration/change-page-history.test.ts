import { beforeAll, describe, expect, it } from "vitest";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { readChangeTimeline, TIMELINE_PAGE_SIZE } from "@/lib/server/audit/read-change-timeline";
import { addComment } from "@/lib/server/changes/add-comment";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { COMMENTS_PAGE_SIZE, listChangeComments } from "@/lib/server/changes/list-change-comments";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// The change page shows the latest comments and events and links to earlier pages (keyset).
let changeId: string;
const COMMENTS = 55;

beforeAll(async () => {
  const requester = await createTestUser({ roles: ["requester"] });
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
      const page = await listChangeComments(changeId, before);
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
    const latest = await readChangeTimeline(changeId);
    expect(latest.events.map((e) => e.seq)).toEqual(everything.slice(-TIMELINE_PAGE_SIZE).map((e) => e.seq));
    expect(latest.earlierBefore).toBe(latest.events[0]!.seq);
    // Walked back to the first event: full pages, each event once, in order, then no link.
    const pages = [latest.events.map((e) => e.seq)];
    for (let before = latest.earlierBefore; before !== null;) {
      const page = await readChangeTimeline(changeId, before);
      pages.unshift(page.events.map((e) => e.seq));
      before = page.earlierBefore;
    }
    expect(pages.slice(1).every((p) => p.length === TIMELINE_PAGE_SIZE)).toBe(true);
    expect(pages.flat()).toEqual(everything.map((e) => e.seq));
  });

  it("shows one page and no link for a short history", async () => {
    const requester = await createTestUser({ roles: ["requester"] });
    const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id]));
    if (!created.ok) throw new Error(created.message);
    expect(await listChangeComments(created.value.id)).toEqual({ comments: [], earlierBefore: null });
    const timeline = await readChangeTimeline(created.value.id);
    expect(timeline.events.length).toBe(1);
    expect(timeline.earlierBefore).toBeNull();
  });
});
