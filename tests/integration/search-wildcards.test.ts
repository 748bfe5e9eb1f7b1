import { beforeAll, describe, expect, it } from "vitest";
import { listChanges } from "@/lib/server/changes/list-changes";
import { listCis } from "@/lib/server/cis/list-cis";
import { listUsers } from "@/lib/server/users/list-users";
import { createTestUser, testDb } from "../support/fixtures";

// Search boxes match what was typed: a % or _ in the text is that character, not a LIKE wildcard.

const stamp = `wild${Date.now()}`;
let admin: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin", "change_manager"] });
  const requester = await createTestUser({ roles: ["requester"] });
  for (const title of [`${stamp} 100% done`, `${stamp} 100 percent`, `${stamp} a_b`, `${stamp} axb`]) {
    await testDb().changeRequest.create({ data: { type: "normal", state: "draft", title, requesterId: requester.id } });
  }
  for (const name of [`${stamp}-50%`, `${stamp}-50x`, `${stamp}_db`, `${stamp}xdb`]) {
    await testDb().configurationItem.create({
      data: { name, type: "service", environment: "production", owner: "Platform", criticality: 2, exposure: "internal" },
    });
  }
});

const titles = async (q: string) => (await listChanges(admin.actor, { q })).rows.map((r) => r.title).sort();
const ciNames = async (query: string) => (await listCis(admin.actor, { query })).rows.map((r) => r.name).sort();

describe("search text with LIKE's wildcard characters", () => {
  it("the change list matches % and _ literally", async () => {
    expect(await titles(`${stamp} 100%`)).toEqual([`${stamp} 100% done`]);
    expect(await titles(`${stamp} a_b`)).toEqual([`${stamp} a_b`]);
    expect(await titles("%")).toEqual([`${stamp} 100% done`]);
  });

  it("the CI list matches % and _ literally", async () => {
    expect(await ciNames(`${stamp}-50%`)).toEqual([`${stamp}-50%`]);
    expect(await ciNames(`${stamp}_`)).toEqual([`${stamp}_db`]);
  });

  it("the user list matches _ literally", async () => {
    const rows = (await listUsers(admin.actor, { query: "_" })).rows;
    expect(rows.every((u) => u.email.includes("_") || u.name.includes("_"))).toBe(true);
  });
});
