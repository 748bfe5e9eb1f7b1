import { beforeEach, describe, expect, it, vi } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import type { Role } from "@/lib/domain/roles";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import type { Actor } from "@/lib/server/auth/current-actor";
import { createCi } from "@/lib/server/cis/create-ci";
import { getCi } from "@/lib/server/cis/get-ci";
import { CIS_PAGE_SIZE, listCis } from "@/lib/server/cis/list-cis";
import { searchCis } from "@/lib/server/cis/search-cis";
import { setCiDependencies } from "@/lib/server/cis/set-ci-dependencies";
import { updateCi } from "@/lib/server/cis/update-ci";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// The server actions are called directly, as a crafted POST would; only the session lookup is
// replaced, so the actions and use cases below it run for real against PostgreSQL.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const actions = await import("@/app/(portal)/admin/cis/actions");

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) data.append(k, x);
  return data;
}

const ADMIN = readerWith(["admin"]);

let n = 0;
const ciFields = (overrides: Record<string, string> = {}) => ({
  name: `ci-${++n}-${Date.now()}`,
  type: "application",
  environment: "production",
  owner: "Platform team",
  criticality: "3",
  exposure: "internal",
  tags: "pci",
  ...overrides,
});
const eventsFor = async (entityId: string) => (await readAuditEvents({ limit: 100_000 })).filter((e) => e.entityId === entityId);

describe("configuration items", () => {
  let admin: Awaited<ReturnType<typeof createTestUser>>;
  beforeEach(async () => {
    admin = await createTestUser({ roles: ["admin"] });
    session.actor = admin.actor;
  });

  async function newCi(overrides: Record<string, string> = {}) {
    const result = await createCi(admin.actor, ciFields(overrides));
    if (!result.ok) throw new Error(result.message);
    const ci = await testDb().configurationItem.findUniqueOrThrow({ where: { id: result.value.id } });
    return { ...ci, updatedAt: ci.updatedAt.toISOString() };
  }

  describe("refuses everyone without config.manage, on the server, and records the denial", () => {
    it.each<Role[]>([["requester"], ["cab_member"], ["change_manager"], ["security_reviewer"], ["implementer"], ["auditor"]])(
      "%s",
      async (role) => {
        const other = await createTestUser({ roles: [role] });
        const ci = await newCi();
        session.actor = other.actor;
        const refusal = { ok: false, message: "Only an admin can manage configuration items and templates." };
        expect(await actions.createCiAction({ ok: true }, form(ciFields()))).toMatchObject(refusal);
        expect(await actions.updateCiAction({ ok: true }, form({ ...ciFields(), id: ci.id, updatedAt: ci.updatedAt }))).toMatchObject(
          refusal,
        );
        expect(
          await actions.setCiDependenciesAction({ ok: true }, form({ id: ci.id, updatedAt: ci.updatedAt, dependsOnIds: [] })),
        ).toMatchObject(refusal);
        expect((await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } })).name).toBe(ci.name);
        const denials = (await readAuditEvents({ limit: 100_000 })).filter(
          (e) => e.action === "authorization.denied" && e.actorId === other.id,
        );
        expect(denials.map((e) => e.entityId)).toEqual(["cis.create", "cis.update", "cis.dependencies"]);
      },
    );

    it("and a signed-out caller", async () => {
      session.actor = null;
      expect(await actions.createCiAction({ ok: true }, form(ciFields()))).toMatchObject({
        ok: false,
        message: "Your session has ended. Sign in again.",
      });
    });
  });

  it("creates a CI and writes one audit event with what was stored", async () => {
    const ci = await newCi({
      name: "payments-api",
      environment: "Production",
      tags: "PCI, payments",
      criticality: "4",
      exposure: "internet_facing",
    });
    expect(ci).toMatchObject({
      name: "payments-api",
      environment: "production",
      tags: ["pci", "payments"],
      criticality: 4,
      exposure: "internet_facing",
    });
    const events = await eventsFor(ci.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "ci.created",
      entityType: "configuration_item",
      actorId: admin.id,
      after: { name: "payments-api", criticality: 4, tags: ["pci", "payments"] },
    });
  });

  it("keeps what was typed and says what to fix when the form is wrong", async () => {
    const typed = ciFields({ name: "", criticality: "7", exposure: "public" });
    const state = await actions.createCiAction({ ok: true }, form(typed));
    expect(state).toMatchObject({
      ok: false,
      message: "Check the highlighted fields.",
      fieldErrors: {
        name: "Enter the name.",
        criticality: "Choose a criticality from 1 to 4.",
        exposure: "Choose internet-facing, internal or isolated.",
      },
      values: { criticality: "7", exposure: "public", owner: "Platform team" },
    });
  });

  it("refuses a second CI with the same name, as a field error", async () => {
    const ci = await newCi();
    expect(await createCi(admin.actor, ciFields({ name: ci.name }))).toMatchObject({
      ok: false,
      fieldErrors: { name: "A configuration item with this name already exists." },
    });
    const other = await newCi();
    expect(await updateCi(admin.actor, { ...ciFields({ name: ci.name }), id: other.id, updatedAt: other.updatedAt })).toMatchObject({
      ok: false,
      fieldErrors: { name: "A configuration item with this name already exists." },
    });
  });

  it("edits a CI with before and after in the audit log", async () => {
    const ci = await newCi({ criticality: "2" });
    const result = await updateCi(admin.actor, {
      ...ciFields({ name: ci.name, criticality: "4", exposure: "internet_facing" }),
      id: ci.id,
      updatedAt: ci.updatedAt,
    });
    expect(result).toMatchObject({ ok: true, value: { message: `${ci.name} was saved.` } });
    expect(await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } })).toMatchObject({
      criticality: 4,
      exposure: "internet_facing",
    });
    const [, updated] = await eventsFor(ci.id);
    expect(updated).toMatchObject({
      action: "ci.updated",
      before: { criticality: 2, exposure: "internal" },
      after: { criticality: 4, exposure: "internet_facing" },
    });
  });

  describe("two admins editing one CI at once do not lose an update", () => {
    it("a stale edit is refused, keeps the typed input, and writes nothing", async () => {
      const ci = await newCi();
      expect(
        await updateCi(admin.actor, { ...ciFields({ name: ci.name, owner: "First admin's team" }), id: ci.id, updatedAt: ci.updatedAt }),
      ).toMatchObject({ ok: true });
      const typed = { ...ciFields({ name: ci.name, owner: "Second admin's team" }), id: ci.id, updatedAt: ci.updatedAt };
      const state = await actions.updateCiAction({ ok: true }, form(typed));
      expect(state).toMatchObject({
        ok: false,
        message: "This item was changed by someone else; reload to see their change.",
        values: { owner: "Second admin's team" },
      });
      expect((await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } })).owner).toBe("First admin's team");
      expect((await eventsFor(ci.id)).map((e) => e.action)).toEqual(["ci.created", "ci.updated"]);
    });

    it("of ten simultaneous edits from the same page, exactly one wins", async () => {
      const ci = await newCi();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          updateCi(admin.actor, { ...ciFields({ name: ci.name, owner: `Team ${i}` }), id: ci.id, updatedAt: ci.updatedAt }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const winner = results.findIndex((r) => r.ok);
      expect((await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } })).owner).toBe(`Team ${winner}`);
      expect((await eventsFor(ci.id)).filter((e) => e.action === "ci.updated")).toHaveLength(1);
    });
  });

  describe("dependencies", () => {
    it("sets and replaces what a CI depends on, with one audit event each time", async () => {
      const [web, api, db] = [await newCi(), await newCi(), await newCi()];
      const first = await setCiDependencies(admin.actor, { id: web.id, updatedAt: web.updatedAt, dependsOnIds: [api.id, db.id, api.id] });
      expect(first).toMatchObject({ ok: true, value: { message: `${web.name} now depends on 2 configuration items.` } });
      if (!first.ok) return;
      const second = await setCiDependencies(admin.actor, { id: web.id, updatedAt: first.value.updatedAt, dependsOnIds: [api.id] });
      expect(second.ok).toBe(true);
      const detail = await getCi(ADMIN, web.id);
      expect(detail?.dependsOn.map((d) => d.id)).toEqual([api.id]);
      expect((await getCi(ADMIN, api.id))?.dependents.map((d) => d.id)).toEqual([web.id]);
      const events = (await eventsFor(web.id)).filter((e) => e.action === "ci.dependencies_set");
      expect(events.map((e) => [e.before, e.after])).toEqual([
        [{ dependsOn: [] }, { dependsOn: [api.id, db.id].sort() }],
        [{ dependsOn: [api.id, db.id].sort() }, { dependsOn: [api.id] }],
      ]);
    });

    it("refuses a dependency loop, direct or through others, and names it", async () => {
      const [a, b, c] = [await newCi(), await newCi(), await newCi()];
      await setCiDependencies(admin.actor, { id: b.id, updatedAt: b.updatedAt, dependsOnIds: [c.id] });
      await setCiDependencies(admin.actor, { id: c.id, updatedAt: c.updatedAt, dependsOnIds: [a.id] });
      const state = await actions.setCiDependenciesAction({ ok: true }, form({ id: a.id, updatedAt: a.updatedAt, dependsOnIds: [b.id] }));
      expect(state).toMatchObject({
        ok: false,
        message: `That would make a dependency loop: ${a.name} → ${b.name} → ${c.name} → ${a.name}. A configuration item cannot depend, even indirectly, on itself.`,
        fieldErrors: { dependsOnIds: "This choice would make a dependency loop." },
      });
      expect(await setCiDependencies(admin.actor, { id: a.id, updatedAt: a.updatedAt, dependsOnIds: [a.id] })).toMatchObject({
        ok: false,
        fieldErrors: { dependsOnIds: "A configuration item cannot depend on itself." },
      });
      expect(await testDb().ciDependency.count({ where: { ciId: a.id } })).toBe(0);
      expect((await eventsFor(a.id)).map((e) => e.action)).toEqual(["ci.created"]);
    });

    it("two admins closing a loop from both ends at once: one succeeds, no loop is stored", async () => {
      const [a, b] = [await newCi(), await newCi()];
      const results = await Promise.all([
        setCiDependencies(admin.actor, { id: a.id, updatedAt: a.updatedAt, dependsOnIds: [b.id] }),
        setCiDependencies(admin.actor, { id: b.id, updatedAt: b.updatedAt, dependsOnIds: [a.id] }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await testDb().ciDependency.count({ where: { ciId: { in: [a.id, b.id] } } })).toBe(1);
    });

    it("refuses a stale dependency edit and an unknown CI", async () => {
      const [a, b] = [await newCi(), await newCi()];
      await updateCi(admin.actor, { ...ciFields({ name: a.name }), id: a.id, updatedAt: a.updatedAt });
      expect(await setCiDependencies(admin.actor, { id: a.id, updatedAt: a.updatedAt, dependsOnIds: [b.id] })).toMatchObject({
        ok: false,
        message: "This item was changed by someone else; reload to see their change.",
      });
      const fresh = await getCi(ADMIN, a.id);
      expect(
        await setCiDependencies(admin.actor, { id: a.id, updatedAt: fresh!.updatedAt.toISOString(), dependsOnIds: [crypto.randomUUID()] }),
      ).toMatchObject({
        ok: false,
        fieldErrors: { dependsOnIds: "One of the chosen configuration items no longer exists. Reload and choose again." },
      });
    });
  });

  describe("lists and searches", () => {
    it("pages by name with a keyset cursor and no overlap", async () => {
      const prefix = `page-${Date.now()}`;
      for (let i = 0; i < CIS_PAGE_SIZE + 3; i += 1) await newCi({ name: `${prefix}-${String(i).padStart(2, "0")}` });
      const first = await listCis(ADMIN, { query: prefix });
      expect(first.rows).toHaveLength(CIS_PAGE_SIZE);
      expect(first.nextCursor).toBe(`${prefix}-${String(CIS_PAGE_SIZE - 1).padStart(2, "0")}`);
      const second = await listCis(ADMIN, { query: prefix, after: first.nextCursor! });
      expect(second.rows.map((r) => r.name)).toEqual([25, 26, 27].map((i) => `${prefix}-${i}`));
      expect(second.nextCursor).toBeNull();
    });

    it("finds CIs by part of the name, by environment and by whole tag", async () => {
      const stamp = Date.now();
      const db = await newCi({ name: `orders-db-${stamp}`, environment: `staging-${stamp}`, tags: `hipaa-${stamp}` });
      expect((await listCis(ADMIN, { query: `ORDERS-DB-${stamp}` })).rows.map((r) => r.id)).toEqual([db.id]);
      expect((await listCis(ADMIN, { query: `staging-${stamp}` })).rows.map((r) => r.id)).toEqual([db.id]);
      expect((await listCis(ADMIN, { query: `hipaa-${stamp}` })).rows.map((r) => r.id)).toEqual([db.id]);
      expect((await searchCis(`orders-db-${stamp}`, 5)).map((r) => r.name)).toEqual([db.name]);
      expect((await listCis(ADMIN, { query: `nothing-${stamp}` })).rows).toEqual([]);
    });

    it("the CI list and page read only for config managers: anyone else gets the 403, recorded", async () => {
      const ci = await newCi();
      const cab = await createTestUser({ roles: ["cab_member", "change_manager"] });
      await expect(listCis(cab.actor, { query: ci.name })).rejects.toMatchObject(FORBIDDEN);
      await expect(getCi(cab.actor, ci.id)).rejects.toMatchObject(FORBIDDEN);
      const denials = await testDb().auditEvent.findMany({ where: { actorId: cab.id, action: "authorization.denied" } });
      expect(denials.map((d) => d.entityId)).toEqual(["read:config.manage", "read:config.manage"]);
      expect((await listCis(ADMIN, { query: ci.name })).rows.map((r) => r.id)).toEqual([ci.id]);
      expect(await getCi(ADMIN, "not-a-uuid")).toBeNull();
    });

    it("the picker's search answers signed-in users who manage configuration or file changes, and caps the results", async () => {
      const stamp = Date.now();
      for (let i = 0; i < 12; i += 1) await newCi({ name: `picker-${stamp}-${i}` });
      expect(await actions.searchCisAction(`picker-${stamp}`)).toHaveLength(8);
      expect(await searchCis(`picker-${stamp}`, 500)).toHaveLength(12);
      session.actor = (await createTestUser({ roles: ["requester"] })).actor;
      expect(await actions.searchCisAction(`picker-${stamp}`)).toHaveLength(8);
      session.actor = (await createTestUser({ roles: ["cab_member"] })).actor;
      expect(await actions.searchCisAction(`picker-${stamp}`)).toEqual([]);
      session.actor = null;
      expect(await actions.searchCisAction(`picker-${stamp}`)).toEqual([]);
    });
  });

  it("leaves a verifiable audit chain", async () => {
    expect(verifyChain(await readAuditEvents({ limit: 100_000 }))).toMatchObject({ ok: true });
  });
});
