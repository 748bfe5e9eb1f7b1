import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/domain/roles";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import type { Actor } from "@/lib/server/auth/current-actor";
import { createCi } from "@/lib/server/cis/create-ci";
import { approveTemplate } from "@/lib/server/templates/approve-template";
import { getTemplate, getUsableTemplate } from "@/lib/server/templates/get-template";
import { listTemplates, listUsableTemplates, TEMPLATES_PAGE_SIZE } from "@/lib/server/templates/list-templates";
import { newTemplateVersion } from "@/lib/server/templates/new-template-version";
import { proposeTemplate } from "@/lib/server/templates/propose-template";
import { retireTemplate } from "@/lib/server/templates/retire-template";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// Server actions called directly, as a crafted POST would; only the session lookup is replaced.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
const actions = await import("@/app/(portal)/admin/templates/actions");

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) data.append(k, x);
  return data;
}

type TestUser = Awaited<ReturnType<typeof createTestUser>>;
const ADMIN = readerWith(["admin"]);
const allEvents = () => readAuditEvents({ limit: 100_000 });
const eventsFor = async (entityId: string) => (await allEvents()).filter((e) => e.entityId === entityId);

describe("standard-change templates", () => {
  let admin: TestUser, otherAdmin: TestUser, manager: TestUser;
  let ciId: string;
  const fields = (overrides: Record<string, unknown> = {}) => ({
    title: `Rotate TLS certificate ${Date.now()}`,
    description: "On one load balancer.",
    implementationPlan: "Upload, switch, verify.",
    backoutPlan: "Switch back to the old certificate.",
    testPlan: "curl -v shows the new expiry.",
    riskCeiling: "low",
    ciIds: [ciId],
    ...overrides,
  });

  beforeEach(async () => {
    [admin, otherAdmin, manager] = [
      await createTestUser({ roles: ["admin"] }),
      await createTestUser({ roles: ["admin"] }),
      await createTestUser({ roles: ["change_manager"] }),
    ];
    const ci = await createCi(admin.actor, {
      name: `lb-${crypto.randomUUID()}`,
      type: "network",
      environment: "production",
      owner: "Network team",
      criticality: "3",
      exposure: "internet_facing",
      tags: "",
    });
    if (!ci.ok) throw new Error(ci.message);
    ciId = ci.value.id;
    session.actor = admin.actor;
  });

  async function proposed(by: TestUser = admin, overrides: Record<string, unknown> = {}) {
    const result = await proposeTemplate(by.actor, fields(overrides));
    if (!result.ok) throw new Error(result.message);
    return result.value.id;
  }

  it("proposes version 1 of a new family with its CIs, awaiting approval; one audit event", async () => {
    const id = await proposed();
    const t = await getTemplate(ADMIN, id);
    expect(t).toMatchObject({ version: 1, status: "proposed", proposedBy: { id: admin.id }, approvedBy: null, cis: [{ id: ciId }] });
    const events = await eventsFor(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "template.proposed",
      entityType: "change_template",
      actorId: admin.id,
      after: { version: 1, status: "proposed", ciIds: [ciId] },
    });
    expect(await getUsableTemplate(id)).toBeNull();
  });

  it("keeps what was typed and says what to fix when the form is wrong", async () => {
    const typed = { ...fields({ title: "", riskCeiling: "high" }), ciIds: [] as string[] };
    const state = await actions.proposeTemplateAction({ ok: true }, form(typed as Record<string, string | string[]>));
    expect(state).toMatchObject({
      ok: false,
      fieldErrors: {
        title: "Enter the title.",
        riskCeiling: "A standard change allows at most medium risk; choose low or medium.",
        ciIds: "Choose at least one configuration item the template may touch.",
      },
      values: { backoutPlan: "Switch back to the old certificate.", riskCeiling: "high" },
    });
  });

  it("refuses a CI that does not exist", async () => {
    expect(await proposeTemplate(admin.actor, fields({ ciIds: [crypto.randomUUID()] }))).toMatchObject({
      ok: false,
      fieldErrors: { ciIds: "One of the chosen configuration items no longer exists. Reload and choose again." },
    });
  });

  describe("refuses everyone without config.manage to propose, version or retire, and records the denial", () => {
    it.each<Role[]>([["requester"], ["cab_member"], ["change_manager"], ["security_reviewer"], ["implementer"], ["auditor"]])(
      "%s",
      async (role) => {
        const id = await proposed();
        const other = await createTestUser({ roles: [role] });
        session.actor = other.actor;
        const refusal = { ok: false, message: "Only an admin can manage configuration items and templates." };
        expect(await actions.proposeTemplateAction({ ok: true }, form(fields()))).toMatchObject(refusal);
        expect(await actions.newTemplateVersionAction({ ok: true }, form({ ...fields(), baseId: id }))).toMatchObject(refusal);
        expect(await actions.retireTemplateAction({ ok: true }, form({ templateId: id }))).toMatchObject(refusal);
        expect((await getTemplate(ADMIN, id))?.status).toBe("proposed");
        const denials = (await allEvents()).filter((e) => e.action === "authorization.denied" && e.actorId === other.id);
        expect(denials.map((e) => e.entityId)).toEqual(["templates.propose", "templates.new_version", "templates.retire"]);
      },
    );
  });

  describe("approval: an admin or a change manager who did not propose it", () => {
    it("the proposer cannot approve their own version, even holding both roles; the refusal is recorded", async () => {
      const both = await createTestUser({ roles: ["admin", "change_manager"] });
      const id = await proposed(both);
      session.actor = both.actor;
      const state = await actions.approveTemplateAction({ ok: true }, form({ templateId: id }));
      expect(state).toMatchObject({
        ok: false,
        message: "You proposed this version, so someone else must approve it (segregation of duties).",
      });
      expect((await getTemplate(ADMIN, id))?.status).toBe("proposed");
      const denial = (await allEvents()).filter((e) => e.actorId === both.id && e.action === "authorization.denied");
      expect(denial).toHaveLength(1);
      expect(denial[0]).toMatchObject({
        entityId: `templates.approve:${id}`,
        reason: "You proposed this version, so someone else must approve it (segregation of duties).",
      });
    });

    it.each<Role[]>([["requester"], ["cab_member"], ["security_reviewer"], ["implementer"], ["auditor"]])(
      "a %s cannot approve",
      async (role) => {
        const id = await proposed();
        const other = await createTestUser({ roles: [role] });
        expect(await approveTemplate(other.actor, { templateId: id })).toMatchObject({
          ok: false,
          message: "Only an admin or a change manager can approve templates.",
        });
        expect((await getTemplate(ADMIN, id))?.status).toBe("proposed");
      },
    );

    it("a change manager approves; the version becomes usable; one audit event", async () => {
      const id = await proposed();
      session.actor = manager.actor;
      const state = await actions.approveTemplateAction({ ok: true }, form({ templateId: id }));
      expect(state).toMatchObject({ ok: true });
      expect(state.message).toContain("is approved and can be used for standard changes.");
      const t = await getTemplate(ADMIN, id);
      expect(t).toMatchObject({ status: "approved", approvedBy: { id: manager.id } });
      expect(t?.approvedAt).toBeInstanceOf(Date);
      expect(await getUsableTemplate(id)).not.toBeNull();
      expect((await eventsFor(id)).map((e) => [e.action, e.actorId])).toEqual([
        ["template.proposed", admin.id],
        ["template.approved", manager.id],
      ]);
    });

    it("another admin approves; approving twice is refused", async () => {
      const id = await proposed();
      expect(await approveTemplate(otherAdmin.actor, { templateId: id })).toMatchObject({ ok: true });
      expect(await approveTemplate(manager.actor, { templateId: id })).toMatchObject({
        ok: false,
        message: "This version is already approved.",
      });
    });

    it("two approvers at the same moment: one approval, one audit event", async () => {
      const id = await proposed();
      const results = await Promise.all([
        approveTemplate(otherAdmin.actor, { templateId: id }),
        approveTemplate(manager.actor, { templateId: id }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await eventsFor(id)).filter((e) => e.action === "template.approved")).toHaveLength(1);
    });
  });

  describe("editing an approved template creates version n+1, awaiting approval again", () => {
    it("v1 stays in use until v2 is approved; then v1 is retired", async () => {
      const v1 = await proposed();
      await approveTemplate(manager.actor, { templateId: v1 });
      const result = await newTemplateVersion(admin.actor, { ...fields({ testPlan: "Check expiry and the chain." }), baseId: v1 });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const v2 = result.value.id;
      expect(await getTemplate(ADMIN, v2)).toMatchObject({ version: 2, status: "proposed", testPlan: "Check expiry and the chain." });
      expect((await getTemplate(ADMIN, v1))?.status).toBe("approved");
      expect((await eventsFor(v2))[0]).toMatchObject({
        action: "template.version_proposed",
        before: { templateId: v1, version: 1 },
        after: { version: 2, status: "proposed" },
      });

      expect(await approveTemplate(otherAdmin.actor, { templateId: v2 })).toMatchObject({ ok: true });
      expect((await getTemplate(ADMIN, v1))?.status).toBe("retired");
      expect((await getTemplate(ADMIN, v2))?.versions.map((v) => [v.version, v.status])).toEqual([
        [2, "approved"],
        [1, "retired"],
      ]);
      const approved = (await eventsFor(v2)).find((e) => e.action === "template.approved");
      expect(approved?.after).toMatchObject({ version: 2, supersededVersions: [1] });
      expect((await listUsableTemplates()).filter((t) => t.id === v1 || t.id === v2).map((t) => t.id)).toEqual([v2]);
    });

    it("refuses a second proposal while one awaits approval, and a version from an older base", async () => {
      const v1 = await proposed();
      expect(await newTemplateVersion(admin.actor, { ...fields(), baseId: v1 })).toMatchObject({
        ok: false,
        message: "Version 1 of this template is still awaiting approval. Approve or retire it before proposing another.",
      });
      await approveTemplate(manager.actor, { templateId: v1 });
      const v2 = await newTemplateVersion(admin.actor, { ...fields(), baseId: v1 });
      expect(v2.ok).toBe(true);
      if (!v2.ok) return;
      await approveTemplate(manager.actor, { templateId: v2.value.id });
      expect(await newTemplateVersion(admin.actor, { ...fields(), baseId: v1 })).toMatchObject({
        ok: false,
        message: "Version 2 is newer than this one. Start from the latest version.",
      });
    });

    it("two admins proposing the next version at once: exactly one version 2", async () => {
      const v1 = await proposed();
      await approveTemplate(manager.actor, { templateId: v1 });
      const results = await Promise.all([
        newTemplateVersion(admin.actor, { ...fields(), baseId: v1 }),
        newTemplateVersion(otherAdmin.actor, { ...fields(), baseId: v1 }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const family = (await getTemplate(ADMIN, v1))!.familyId;
      expect(await testDb().changeTemplate.count({ where: { familyId: family } })).toBe(2);
    });
  });

  describe("retiring", () => {
    it("retires an approved version: no longer usable; retiring again is refused", async () => {
      const id = await proposed();
      await approveTemplate(manager.actor, { templateId: id });
      const state = await actions.retireTemplateAction({ ok: true }, form({ templateId: id }));
      expect(state).toMatchObject({ ok: true });
      expect(await getTemplate(ADMIN, id)).toMatchObject({ status: "retired" });
      expect(await getUsableTemplate(id)).toBeNull();
      expect(await approveTemplate(otherAdmin.actor, { templateId: id })).toMatchObject({
        ok: false,
        message: "A retired template cannot be approved. Propose a new version instead.",
      });
      expect(await retireTemplate(admin.actor, { templateId: id })).toMatchObject({
        ok: false,
        message: "This version is already retired.",
      });
      expect((await eventsFor(id)).map((e) => e.action)).toEqual(["template.proposed", "template.approved", "template.retired"]);
      expect((await eventsFor(id)).at(-1)).toMatchObject({ before: { status: "approved" }, after: { status: "retired" } });
    });

    it("retires a proposal that will not be approved, and a new version can start from it", async () => {
      const id = await proposed();
      expect(await retireTemplate(admin.actor, { templateId: id })).toMatchObject({ ok: true });
      const next = await newTemplateVersion(admin.actor, { ...fields(), baseId: id });
      expect(next.ok).toBe(true);
    });
  });

  describe("lists", () => {
    it("pages newest first with a keyset cursor, filtered by status and title", async () => {
      const stamp = `paging-${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < TEMPLATES_PAGE_SIZE + 2; i += 1) ids.push(await proposed(admin, { title: `${stamp} ${i}` }));
      const first = await listTemplates(ADMIN, { query: stamp, status: "proposed" });
      expect(first.rows).toHaveLength(TEMPLATES_PAGE_SIZE);
      const second = await listTemplates(ADMIN, { query: stamp, status: "proposed", after: first.nextCursor! });
      expect(second.rows).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      // Every version exactly once, newest first (ties on the millisecond broken by id).
      const seen = [...first.rows, ...second.rows];
      expect(new Set(seen.map((r) => r.id))).toEqual(new Set(ids));
      const key = (r: (typeof seen)[number]) => `${r.createdAt.toISOString()}_${r.id}`;
      expect(seen.map(key)).toEqual(seen.map(key).sort().reverse());
      expect((await listTemplates(ADMIN, { query: stamp, status: "approved" })).rows).toEqual([]);
      expect(first.rows[0]).toMatchObject({ proposedBy: { name: admin.name }, approvedBy: null, _count: { cis: 1 } });
    });

    it("read only by those who approve templates: a change manager reads them, anyone else gets the 403, recorded", async () => {
      const id = await proposed(admin);
      expect((await getTemplate(manager.actor, id))?.id).toBe(id);
      expect((await listTemplates(manager.actor, { status: "proposed" })).rows.map((r) => r.id)).toContain(id);
      const requester = await createTestUser({ roles: ["requester", "cab_member", "auditor"] });
      await expect(getTemplate(requester.actor, id)).rejects.toMatchObject(FORBIDDEN);
      await expect(listTemplates(requester.actor, {})).rejects.toMatchObject(FORBIDDEN);
      const denials = await testDb().auditEvent.findMany({ where: { actorId: requester.id, action: "authorization.denied" } });
      expect(denials.map((d) => d.entityId)).toEqual(["read:templates", "read:templates"]);
    });
  });
});
