import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { historyFiltersSchema } from "@/lib/domain/history-filters";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { inTransaction } from "@/lib/server/db/transaction";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { HISTORY_PAGE_SIZE, searchEvents } from "@/lib/server/history/search-history";
import { completeDraft, createTestCi, createTestUser, readerWith, testDb } from "../support/fixtures";

// The events view's free text is searched as two halves (the event's own fields through their
// trigram index, the change's title or number through the change), merged per page. These tests
// hold its answers to what the text means, computed here from every event in the database.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const eventsRoute = await import("@/app/api/exports/events/route");

const token = `zq${randomUUID().slice(0, 8)}`;
let titled: { id: string; number: number };
let other: { id: string; number: number };

/** Every event the text should find: an own field contains it, or the change's title does, or it names the change's number. */
async function expectedSeqs(text: string, only: (change: { type: string } | null) => boolean = () => true): Promise<number[]> {
  const events = await testDb().auditEvent.findMany({
    select: { seq: true, action: true, reason: true, actorEmail: true, entityId: true, changeId: true },
  });
  const changes = new Map(
    (await testDb().changeRequest.findMany({ select: { id: true, title: true, number: true, type: true } })).map((c) => [c.id, c]),
  );
  const has = (field: string | null) => field !== null && field.toLowerCase().includes(text.toLowerCase());
  return events
    .filter((e) => {
      const change = e.changeId ? (changes.get(e.changeId) ?? null) : null;
      const byChange = change !== null && (has(change.title) || `CHG-${String(change.number).padStart(6, "0")}` === text);
      return only(change) && (has(e.action) || has(e.reason) || has(e.actorEmail) || has(e.entityId) || byChange);
    })
    .map((e) => Number(e.seq))
    .sort((a, b) => b - a);
}

/** Every page of the search, following its cursor, with the filters read as the page reads them. */
async function allPages(params: Record<string, string>): Promise<number[][]> {
  const filters = historyFiltersSchema.parse(params);
  const pages: number[][] = [];
  let after: string | undefined;
  do {
    const page = await searchEvents(readerWith(["auditor"]), filters, after);
    pages.push(page.rows.map((e) => e.seq));
    after = page.nextCursor ?? undefined;
  } while (after && pages.length < 10);
  return pages;
}

beforeAll(async () => {
  const requester = await createTestUser({ roles: ["requester"] });
  const ci = await createTestCi();
  const file = async (draft: Record<string, unknown>) => {
    const created = await createChangeDraft(requester.actor, draft);
    if (!created.ok) throw new Error(created.message);
    const submitted = await performChangeAction(requester.actor, { changeId: created.value.id, action: "submit" });
    if (!submitted.ok) throw new Error(submitted.message);
    return testDb().changeRequest.findUniqueOrThrow({ where: { id: created.value.id }, select: { id: true, number: true } });
  };
  titled = await file(completeDraft([ci.id], { title: `Rotate the ${token.toUpperCase()} keys` }));
  other = await file(
    completeDraft([ci.id], {
      type: "emergency",
      title: "Patch the edge proxy",
      emergencyJustification: "Active exploitation of CVE-2026-2222.",
    }),
  );
  const actor = { id: requester.id, email: requester.actor.email };
  // Matches by the change's title and by the event's own reason interleave, and some events match
  // both, so pages must merge the two halves in order and list an event once.
  await inTransaction(async (tx) => {
    for (let i = 0; i < 35; i++) {
      await appendAuditEvent(tx, {
        actor,
        action: "change.commented",
        entityType: "change",
        entityId: titled.id,
        changeId: titled.id,
        reason: i % 5 === 0 ? `see ${token}` : "routine",
      });
      await appendAuditEvent(tx, {
        actor,
        action: "change.commented",
        entityType: "change",
        entityId: other.id,
        changeId: other.id,
        reason: `about ${token} (${i})`,
      });
      await appendAuditEvent(tx, {
        actor: null,
        action: "test.note",
        entityType: "test",
        reason: i % 7 === 0 ? `${token} without a change` : "nothing",
      });
    }
    await appendAuditEvent(tx, { actor: null, action: "test.entity", entityType: "test", entityId: `ticket-${token}-7` });
  });
  session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
});

describe("history search of events by text", () => {
  it("finds every event whose own fields, change title or change number match, newest first, each once, across keyset pages", async () => {
    const expected = await expectedSeqs(token);
    expect(expected.length).toBeGreaterThan(HISTORY_PAGE_SIZE);
    const pages = await allPages({ q: token });
    expect(pages.length).toBe(2);
    expect(pages[0]!.length).toBe(HISTORY_PAGE_SIZE);
    expect(pages.flat()).toEqual(expected);
  });

  it("matches a text inside one field only, case-insensitively, and a change by its number", async () => {
    expect((await allPages({ q: `TICKET-${token}` })).flat()).toEqual(await expectedSeqs(`ticket-${token}`));
    const reference = `CHG-${String(titled.number).padStart(6, "0")}`;
    const byNumber = (await allPages({ q: reference })).flat();
    expect(byNumber).toEqual(await expectedSeqs(reference));
    expect(byNumber.length).toBeGreaterThan(35);
    // A text that spans two fields of an event matches neither, a pasted line break included.
    expect((await allPages({ q: `commented about ${token}` })).flat()).toEqual([]);
    expect((await allPages({ q: `commented\nabout ${token}` })).flat()).toEqual([]);
  });

  it("applies the change's facets to both halves", async () => {
    const emergency = (await allPages({ type: "emergency", q: token })).flat();
    expect(emergency).toEqual(await expectedSeqs(token, (c) => c?.type === "emergency"));
    expect(emergency.length).toBe(35);
  });

  it("exports the same events the pages list, in chain order", async () => {
    const response = await eventsRoute.GET(new Request(`http://localhost/api/exports/events?format=jsonl&q=${token}`));
    expect(response.status).toBe(200);
    const seqs = (await response.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).seq as number);
    const expected = (await expectedSeqs(token)).reverse();
    expect(seqs).toEqual(expected);
    // The CSV, each event with its own change's reference.
    const csv = parse(await (await eventsRoute.GET(new Request(`http://localhost/api/exports/events?format=csv&q=${token}`))).text(), {
      columns: true,
    }) as Record<string, string>[];
    expect(csv.map((r) => Number(r.seq))).toEqual(expected);
    const reference = (n: number) => `CHG-${String(n).padStart(6, "0")}`;
    const changeOf: Record<string, string> = { "": "", [titled.id]: reference(titled.number), [other.id]: reference(other.number) };
    for (const r of csv) expect(r.change).toBe(changeOf[r.change_id!]);
  });
});
