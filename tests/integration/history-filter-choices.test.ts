import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";
import { historyFilterOptions } from "@/lib/server/history/search-history";
import { createTestCi, createTestUser, readerWith, testDb } from "../support/fixtures";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const { searchHistoryCisAction, searchHistoryPeopleAction } = await import("@/app/(portal)/audit/actions");

let auditor: Actor;
let requester: Actor;
let ci: { id: string; name: string };
let gone: Awaited<ReturnType<typeof createTestUser>>;
const marker = `zq${Date.now().toString(36)}`;

beforeAll(async () => {
  auditor = (await createTestUser({ roles: ["auditor"] })).actor;
  requester = (await createTestUser({ roles: ["requester"] })).actor;
  ci = await createTestCi({ environment: "staging" });
  await testDb().configurationItem.update({ where: { id: ci.id }, data: { name: `${marker}-ledger` } });
  gone = await createTestUser({ roles: ["implementer"], active: false, email: `${marker}.leaver@example.test` });
});

describe("the history filter's CI and person pickers", () => {
  it("find a CI by part of its name and label it with its environment", async () => {
    session.actor = auditor;
    expect(await searchHistoryCisAction(marker.toUpperCase())).toEqual([{ id: ci.id, label: `${marker}-ledger (staging)` }]);
    expect(await searchHistoryCisAction(`${marker}-nothing`)).toEqual([]);
  });

  it("find a person by email, deactivated users included (their acts stay in the history)", async () => {
    session.actor = auditor;
    const found = await searchHistoryPeopleAction(`${marker}.LEAVER`);
    expect(found).toEqual([{ id: gone.id, label: `${gone.name} (${gone.email})` }]);
  });

  it("offer at most eight matches", async () => {
    session.actor = auditor;
    for (let i = 0; i < 9; i++) await createTestUser({ email: `${marker}.many${i}@example.test` });
    const many = await searchHistoryPeopleAction(`${marker}.many`);
    expect(many).toHaveLength(8);
    expect(many.every((p) => p.label.includes(`${marker}.many`))).toBe(true);
  });

  it("give nothing to a user who may not read the history, or to no session", async () => {
    session.actor = requester;
    expect(await searchHistoryCisAction(marker)).toEqual([]);
    expect(await searchHistoryPeopleAction(marker)).toEqual([]);
    session.actor = null;
    expect(await searchHistoryPeopleAction(marker)).toEqual([]);
  });

  it("reject a query that is not a short string", async () => {
    session.actor = auditor;
    expect(await searchHistoryCisAction({ contains: marker })).toEqual([]);
    expect(await searchHistoryPeopleAction("x".repeat(101))).toEqual([]);
  });

  it("name the chosen CI and person when the page is opened with them in the address", async () => {
    const options = await historyFilterOptions(readerWith(["auditor"]), { ci: ci.id, actor: gone.id });
    expect(options.ci).toEqual({ id: ci.id, label: `${marker}-ledger (staging)` });
    expect(options.actor).toEqual({ id: gone.id, label: `${gone.name} (${gone.email})` });
    expect(await historyFilterOptions(readerWith(["auditor"]), {})).toMatchObject({ ci: null, actor: null });
  });
});
