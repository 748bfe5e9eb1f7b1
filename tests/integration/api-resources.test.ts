import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/auth/current-actor";

// /api/v1's configuration items, templates, schedule and audit events, and the audit exports
// with an audit:read token, through their exported handlers with real tokens: the same
// visibility and refusals as the pages, hostile queries answered 400, cursors that cannot be
// forged or moved between lists.

// The session lookup is watched: a Bearer request to the audit routes must never reach it.
const session = vi.hoisted(() => ({ actor: null as Actor | null, reads: 0 }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => {
    session.reads += 1;
    return session.actor;
  },
}));

const { callApi } = await import("../support/api-client");
const { createTestCi, createTestUser, testDb } = await import("../support/fixtures");
const cisRoute = await import("@/app/api/v1/cis/route");
const ciRoute = await import("@/app/api/v1/cis/[id]/route");
const ciDependenciesRoute = await import("@/app/api/v1/cis/[id]/dependencies/route");
const templatesRoute = await import("@/app/api/v1/templates/route");
const templateRoute = await import("@/app/api/v1/templates/[id]/route");
const conflictsRoute = await import("@/app/api/v1/schedule/conflicts/route");
const freezesRoute = await import("@/app/api/v1/freezes/route");
const eventsRoute = await import("@/app/api/v1/audit/events/route");
const changesRoute = await import("@/app/api/v1/changes/route");
const eventsExportRoute = await import("@/app/api/exports/events/route");
const manifestRoute = await import("@/app/api/exports/[id]/manifest/route");
const { issueOwnToken } = await import("@/lib/server/api-tokens/issue-token");
const { listCis } = await import("@/lib/server/cis/list-cis");
const { proposeTemplate } = await import("@/lib/server/templates/propose-template");
const { searchEvents } = await import("@/lib/server/history/search-history");
const { ciDetailSchema, ciListSchema } = await import("@/lib/server/api/cmdb-schemas");
const { templateDetailSchema, templateListSchema } = await import("@/lib/server/api/template-schemas");
const { conflictsSchema, freezeListSchema } = await import("@/lib/server/api/schedule-schemas");
const { auditEventListSchema } = await import("@/lib/server/api/audit-schemas");
const { changeListSchema } = await import("@/lib/server/api/change-schemas");
const { encodeApiCursor, encodeKeyCursor } = await import("@/lib/server/api/api-cursor");

type User = Awaited<ReturnType<typeof createTestUser>>;
let admin: User, requester: User, auditor: User, manager: User;
const stamp = `res${Date.now()}`;
const DAY = 86_400_000;
const tokens = new Map<string, string>();

async function tokenOf(user: User, scopes: string[]) {
  const key = `${user.id} ${scopes.join(",")}`;
  if (!tokens.has(key)) {
    const issued = await issueOwnToken(user.actor, { name: "resources test", scopes });
    if (!issued.ok) throw new Error(issued.message);
    tokens.set(key, issued.value.token);
  }
  return tokens.get(key)!;
}

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await response.json();
  expect(body).toMatchObject({ status, code, detail: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/prisma|stack|NEXT_HTTP|at \w+ \(/i);
  return body as { detail: string; errors?: Record<string, string> };
}

const ciBody = (overrides: Record<string, unknown> = {}) => ({
  name: `${stamp}-ci-${Math.random().toString(36).slice(2, 8)}`,
  type: "Service",
  environment: "Production",
  owner: "Platform team",
  criticality: 3,
  exposure: "internal",
  tags: ["edge", "tls"],
  ...overrides,
});

/** Every item a paged list answers for `path`, walking its `next` links. */
async function walk(handler: (r: Request) => Promise<Response>, token: string, path: string) {
  const ids: string[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next) {
    const response = await callApi(handler, { path: next.replace(/^\/api\/v1/, ""), token });
    expect(response.status, next).toBe(200);
    const body = (await response.json()) as { items: { id?: string; seq?: number }[]; next: string | null };
    if (body.next) expect(response.headers.get("link")).toBe(`<${body.next}>; rel="next"`);
    ids.push(...body.items.map((i) => String(i.id ?? i.seq)));
    next = body.next;
    pages += 1;
  }
  return { ids, pages };
}

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  requester = await createTestUser({ roles: ["requester"] });
  auditor = await createTestUser({ roles: ["auditor"] });
  manager = await createTestUser({ roles: ["change_manager"] });
});

describe("configuration items", () => {
  it("creates, reads, edits and lists a CI as the configuration pages do", async () => {
    const write = await tokenOf(admin, ["cmdb:read", "cmdb:write"]);
    const body = ciBody();
    const created = await callApi(cisRoute.POST, { method: "POST", path: "/cis", token: write, body });
    expect(created.status).toBe(201);
    const ci = ciDetailSchema.parse(await created.json());
    expect(created.headers.get("location")).toBe(`/api/v1/cis/${ci.id}`);
    // The form's rules: type and environment lower-cased, tags kept.
    expect(ci).toMatchObject({ name: body.name, type: "service", environment: "production", tags: ["edge", "tls"], dependsOn: [] });

    const read = await callApi(ciRoute.GET, { path: `/cis/${ci.id}`, token: write, params: { id: ci.id } });
    expect(ciDetailSchema.parse(await read.json())).toEqual(ci);

    const patched = await callApi(ciRoute.PATCH, {
      method: "PATCH",
      path: `/cis/${ci.id}`,
      token: write,
      params: { id: ci.id },
      body: { owner: "Network team", updatedAt: ci.updatedAt },
    });
    expect(patched.status).toBe(200);
    const edited = ciDetailSchema.parse(await patched.json());
    expect(edited).toMatchObject({ owner: "Network team", name: body.name, criticality: 3, tags: ["edge", "tls"] });
    expect(edited.updatedAt).not.toBe(ci.updatedAt);
    const actions = await testDb().auditEvent.findMany({ where: { entityId: ci.id }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["ci.created", "ci.updated"]);

    // A stale updatedAt is the page's "changed by someone else", as a 409.
    const stale = await callApi(ciRoute.PATCH, {
      method: "PATCH",
      path: `/cis/${ci.id}`,
      token: write,
      params: { id: ci.id },
      body: { owner: "Someone else", updatedAt: ci.updatedAt },
    });
    expect((await expectProblem(stale, 409, "conflict")).detail).toBe("This item was changed by someone else; reload to see their change.");
    const missing = crypto.randomUUID();
    await expectProblem(
      await callApi(ciRoute.PATCH, {
        method: "PATCH",
        path: `/cis/${missing}`,
        token: write,
        params: { id: missing },
        body: { owner: "x" },
      }),
      404,
      "not_found",
    );
  });

  it("refuses what the configuration form refuses, with its words on the field", async () => {
    const write = await tokenOf(admin, ["cmdb:write"]);
    const taken = ciBody();
    expect((await callApi(cisRoute.POST, { method: "POST", path: "/cis", token: write, body: taken })).status).toBe(201);
    const duplicate = await expectProblem(
      await callApi(cisRoute.POST, { method: "POST", path: "/cis", token: write, body: taken }),
      422,
      "invalid_input",
    );
    expect(duplicate.errors).toEqual({ name: "A configuration item with this name already exists." });
    const criticality = await expectProblem(
      await callApi(cisRoute.POST, { method: "POST", path: "/cis", token: write, body: ciBody({ criticality: 7 }) }),
      422,
      "invalid_input",
    );
    expect(criticality.errors).toEqual({ criticality: "Choose a criticality from 1 to 4." });
    const hostile: [unknown, string][] = [
      [ciBody({ exposure: "public" }), "exposure"],
      [ciBody({ name: "" }), "name"],
      [ciBody({ tags: "edge tls" }), "tags"],
      [ciBody({ tags: ["two words"] }), "tags.0"],
      [ciBody({ name: "a\u0000b" }), "name"],
      [ciBody({ extra: 1 }), "form"],
    ];
    for (const [body, field] of hostile) {
      const refused = await expectProblem(
        await callApi(cisRoute.POST, { method: "POST", path: "/cis", token: write, body }),
        422,
        "invalid_input",
      );
      expect(refused.errors, JSON.stringify(body)).toHaveProperty(field);
    }
  });

  it("refuses a requester's cmdb:write token as the page refuses the requester, and records it", async () => {
    const token = await tokenOf(requester, ["cmdb:read", "cmdb:write"]);
    const body = ciBody();
    const refused = await expectProblem(await callApi(cisRoute.POST, { method: "POST", path: "/cis", token, body }), 403, "refused");
    expect(refused.detail).toBe("Only an admin can manage configuration items and templates.");
    expect(await testDb().configurationItem.count({ where: { name: body.name } })).toBe(0);
    const denial = await testDb().auditEvent.findFirst({
      where: { actorId: requester.id, action: "authorization.denied", entityId: "cis.create" },
    });
    expect(denial).not.toBeNull();
    const ci = await createTestCi();
    for (const response of [
      await callApi(cisRoute.GET, { path: "/cis", token }),
      await callApi(ciRoute.GET, { path: `/cis/${ci.id}`, token, params: { id: ci.id } }),
      await callApi(ciRoute.PATCH, { method: "PATCH", path: `/cis/${ci.id}`, token, params: { id: ci.id }, body: { owner: "x" } }),
      await callApi(ciDependenciesRoute.PUT, {
        method: "PUT",
        path: `/cis/${ci.id}/dependencies`,
        token,
        params: { id: ci.id },
        body: { dependsOnIds: [] },
      }),
    ]) {
      expect((await expectProblem(response, 403, "refused")).detail).toBe("Only an admin can manage configuration items and templates.");
    }
    expect((await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } })).owner).toBe("Platform team");
  });

  it("lists exactly what the CI list page shows, page by page with a signed cursor", async () => {
    const token = await tokenOf(admin, ["cmdb:read"]);
    for (let i = 0; i < 5; i += 1)
      await testDb().configurationItem.create({ data: { ...ciBody({ tags: [] }), exposure: "internal", name: `${stamp}-list-${i}` } });
    const page: string[] = [];
    let after: string | undefined;
    do {
      const read = await listCis(admin.actor, { query: `${stamp}-list`, after });
      page.push(...read.rows.map((r) => r.id));
      after = read.nextCursor ?? undefined;
    } while (after);
    const { ids, pages } = await walk(cisRoute.GET, token, `/cis?q=${stamp}-list&limit=2`);
    expect(ids).toEqual(page);
    expect(ids).toHaveLength(5);
    expect(pages).toBe(3);
    const first = ciListSchema.parse(await (await callApi(cisRoute.GET, { path: `/cis?q=${stamp}-list&limit=1`, token })).json());
    expect(first.items[0]).toMatchObject({ name: `${stamp}-list-0` });
  });

  it("sets dependencies, refuses a loop with the page's words, and answers them on the CI", async () => {
    const token = await tokenOf(admin, ["cmdb:read", "cmdb:write"]);
    const [a, b] = [await createTestCi(), await createTestCi()];
    const put = (id: string, dependsOnIds: string[], extra: Record<string, unknown> = {}) =>
      callApi(ciDependenciesRoute.PUT, {
        method: "PUT",
        path: `/cis/${id}/dependencies`,
        token,
        params: { id },
        body: { dependsOnIds, ...extra },
      });
    const set = await put(a.id, [b.id]);
    expect(set.status).toBe(200);
    expect(ciDetailSchema.parse(await set.json()).dependsOn.map((d) => d.id)).toEqual([b.id]);
    const other = ciDetailSchema.parse(await (await callApi(ciRoute.GET, { path: `/cis/${b.id}`, token, params: { id: b.id } })).json());
    expect(other.dependents.map((d) => d.id)).toEqual([a.id]);
    const loop = await expectProblem(await put(b.id, [a.id]), 422, "invalid_input");
    expect(loop.detail).toContain(a.name);
    expect(loop.errors).toEqual({ dependsOnIds: "This choice would make a dependency loop." });
    expect((await expectProblem(await put(a.id, [a.id]), 422, "invalid_input")).errors).toHaveProperty("dependsOnIds");
    expect((await expectProblem(await put(a.id, ["not-a-uuid"]), 422, "invalid_input")).errors).toHaveProperty("dependsOnIds.0");
    await expectProblem(await put(a.id, [], { updatedAt: "2020-01-01T00:00:00.000Z" }), 409, "conflict");
    expect(await testDb().ciDependency.count({ where: { ciId: b.id } })).toBe(0);
  });

  it("answers a missing or malformed id as not found, and hostile queries and cursors with 400", async () => {
    const token = await tokenOf(admin, ["cmdb:read"]);
    const missing = await expectProblem(await callApi(ciRoute.GET, { path: "/cis/x", token, params: { id: "x" } }), 404, "not_found");
    const id = crypto.randomUUID();
    expect(await expectProblem(await callApi(ciRoute.GET, { path: `/cis/${id}`, token, params: { id } }), 404, "not_found")).toEqual(
      missing,
    );
    const changesToken = await tokenOf(admin, ["changes:read", "cmdb:read"]);
    const changeCursor = encodeApiCursor(new Date(), crypto.randomUUID());
    const eventCursor = encodeKeyCursor("audit-events", "5");
    const forged = Buffer.from(`cis:${stamp}`).toString("base64url") + ".AAAAAAAAAAAAAAAAAAAAAA";
    const cases: [string, string][] = [
      ["?limit=0", "limit"],
      ["?limit=101", "limit"],
      ["?limit=1e2", "limit"],
      ["?q=a&q=b", "q"],
      ["?q=a%00", "q"],
      ["?bogus=1", "form"],
      [`?cursor=${encodeURIComponent(changeCursor)}`, "cursor"],
      [`?cursor=${encodeURIComponent(eventCursor)}`, "cursor"],
      [`?cursor=${encodeURIComponent(forged)}`, "cursor"],
      [`?cursor=${"z".repeat(5000)}`, "cursor"],
    ];
    for (const [query, field] of cases) {
      const body = await expectProblem(await callApi(cisRoute.GET, { path: `/cis${query}`, token: changesToken }), 400, "invalid_input");
      expect(body.errors, query).toHaveProperty(field);
    }
    // A CI cursor is no change cursor either.
    const ciCursor = encodeKeyCursor("cis", "a");
    await expectProblem(
      await callApi(changesRoute.GET, { path: `/changes?cursor=${ciCursor}`, token: changesToken }),
      400,
      "invalid_input",
    );
  });
});

describe("templates", () => {
  let templateId: string;
  beforeAll(async () => {
    const ci = await createTestCi();
    const proposed = await proposeTemplate(admin.actor, {
      title: `${stamp} rotate certificates`,
      description: "Rotate the edge certificates.",
      implementationPlan: "Deploy the new chain.",
      backoutPlan: "Restore the old chain.",
      testPlan: "Check with openssl.",
      riskCeiling: "low",
      ciIds: [ci.id],
    });
    if (!proposed.ok) throw new Error(proposed.message);
    templateId = proposed.value.id;
  });

  it("lists and reads templates for the roles the template pages admit", async () => {
    for (const user of [admin, manager]) {
      const token = await tokenOf(user, ["changes:read"]);
      const list = templateListSchema.parse(
        await (await callApi(templatesRoute.GET, { path: `/templates?q=${stamp}&status=proposed`, token })).json(),
      );
      expect(list.items.map((t) => t.id)).toEqual([templateId]);
      expect(list.items[0]).toMatchObject({ status: "proposed", version: 1, ciCount: 1, approvedBy: null });
      const one = await callApi(templateRoute.GET, { path: `/templates/${templateId}`, token, params: { id: templateId } });
      expect(templateDetailSchema.parse(await one.json())).toMatchObject({
        id: templateId,
        riskCeiling: "low",
        versions: [{ id: templateId }],
      });
    }
    expect(
      templateListSchema.parse(
        await (
          await callApi(templatesRoute.GET, {
            path: `/templates?q=${stamp}&status=approved`,
            token: await tokenOf(admin, ["changes:read"]),
          })
        ).json(),
      ).items,
    ).toEqual([]);
  });

  it("refuses the roles the template pages refuse, and answers bad ids and queries", async () => {
    const token = await tokenOf(requester, ["changes:read"]);
    const refused = await expectProblem(await callApi(templatesRoute.GET, { path: "/templates", token }), 403, "refused");
    expect(refused.detail).toBe("Only admins and change managers can read templates.");
    await expectProblem(
      await callApi(templateRoute.GET, { path: `/templates/${templateId}`, token, params: { id: templateId } }),
      403,
      "refused",
    );
    const reader = await tokenOf(admin, ["changes:read"]);
    await expectProblem(
      await callApi(templateRoute.GET, { path: "/templates/nope", token: reader, params: { id: "nope" } }),
      404,
      "not_found",
    );
    for (const query of ["?status=bogus", "?limit=-1", "?cursor=2026-01-01T00:00:00.000Z_00000000-0000-4000-8000-000000000000"]) {
      await expectProblem(await callApi(templatesRoute.GET, { path: `/templates${query}`, token: reader }), 400, "invalid_input");
    }
  });
});

describe("the schedule", () => {
  const at = (days: number, hours = 0) => new Date(Date.UTC(2031, 0, 1) + days * DAY + hours * 3_600_000);
  let ci: { id: string; name: string }, other: { id: string; name: string }, freezeId: string;

  beforeAll(async () => {
    ci = await createTestCi({ environment: "production" });
    other = await createTestCi({ environment: "staging" });
    // Tuesdays 02:00-04:00 UTC only.
    await testDb().maintenanceWindow.create({ data: { ciId: ci.id, weekday: 2, startMinute: 120, durationMinutes: 120 } });
    const freeze = await testDb().freezeWindow.create({
      data: {
        startsAt: at(10),
        endsAt: at(12),
        reason: "Year-end close",
        scope: "environments",
        environments: ["production"],
        createdById: admin.id,
      },
    });
    freezeId = freeze.id;
    await testDb().freezeWindow.create({
      data: { startsAt: new Date(Date.now() - 10 * DAY), endsAt: new Date(Date.now() - 9 * DAY), reason: "Past", createdById: admin.id },
    });
    await testDb().changeRequest.create({
      data: {
        type: "normal",
        state: "scheduled",
        title: `${stamp} overlapping`,
        requesterId: requester.id,
        plannedStart: at(20),
        plannedEnd: at(20, 3),
        cis: { create: [{ ciId: ci.id }] },
      },
    });
  });

  const ask = async (query: string, token?: string) =>
    callApi(conflictsRoute.GET, { path: `/schedule/conflicts${query}`, token: token ?? (await tokenOf(requester, ["changes:read"])) });

  it("answers what a change in the window would hit, as the change page checks it", async () => {
    const inFreeze = conflictsSchema.parse(
      await (await ask(`?ci=${ci.id}&start=${at(11).toISOString()}&end=${at(11, 1).toISOString()}`)).json(),
    );
    expect(inFreeze.blocked).toBe(true);
    expect(inFreeze.conflicts.map((c) => [c.kind, c.severity])).toEqual([
      ["freeze", "block"],
      ["maintenance", "warning"],
    ]);
    expect(inFreeze.conflicts[0]!.message).toContain("Year-end close");
    const emergency = conflictsSchema.parse(
      await (await ask(`?ci=${ci.id}&start=${at(11).toISOString()}&end=${at(11, 1).toISOString()}&type=emergency`)).json(),
    );
    expect(emergency).toMatchObject({ blocked: false, type: "emergency" });
    expect(emergency.conflicts.find((c) => c.kind === "freeze")?.severity).toBe("info");
    // The staging CI is outside the production freeze and has no maintenance windows; repeated and comma-separated ids both count.
    const clear = conflictsSchema.parse(
      await (await ask(`?ci=${other.id}&start=${at(11).toISOString()}&end=${at(11, 1).toISOString()}`)).json(),
    );
    expect(clear).toMatchObject({ blocked: false, conflicts: [] });
    const overlap = `start=${at(20, 1).toISOString()}&end=${at(20, 2).toISOString()}`;
    const repeated = conflictsSchema.parse(await (await ask(`?ci=${other.id}&ci=${ci.id}&${overlap}`)).json());
    const comma = conflictsSchema.parse(await (await ask(`?ci=${other.id},${ci.id}&${overlap}`)).json());
    expect(repeated).toEqual(comma);
    expect(repeated.conflicts.find((c) => c.kind === "overlap")).toMatchObject({
      severity: "warning",
      other: { title: `${stamp} overlapping` },
    });
    // An offset instant means the same moment.
    const offset = conflictsSchema.parse(
      await (await ask(`?ci=${ci.id}&start=2031-01-12T01:00:00%2B01:00&end=2031-01-12T02:00:00%2B01:00`)).json(),
    );
    expect(offset.window.start).toBe(at(11).toISOString());
  });

  it("answers hostile questions with 400 naming the parameter, and an unknown CI on its field", async () => {
    const window = `start=${at(11).toISOString()}&end=${at(11, 1).toISOString()}`;
    const cases: [string, string][] = [
      [`?${window}`, "ci"],
      [`?ci=nope&${window}`, "ci"],
      [`?ci=${ci.id}`, "start"],
      [`?ci=${ci.id}&start=yesterday&end=${at(11).toISOString()}`, "start"],
      [`?ci=${ci.id}&start=2031-01-12T00:00:00&end=2031-01-12T01:00:00`, "start"],
      [`?ci=${ci.id}&start=${at(11, 1).toISOString()}&end=${at(11).toISOString()}`, "end"],
      [`?ci=${ci.id}&start=0001-01-01T00:00:00Z&end=${at(11).toISOString()}`, "start"],
      [`?ci=${ci.id}&start=${at(0).toISOString()}&end=${at(400).toISOString()}`, "end"],
      [`?ci=${ci.id}&${window}&start=${at(1).toISOString()}`, "start"],
      [`?ci=${ci.id}&${window}&type=risky`, "type"],
      [`?ci=${Array.from({ length: 51 }, () => crypto.randomUUID()).join(",")}&${window}`, "ci"],
      [`?ci=${ci.id}%00&${window}`, "ci"],
    ];
    for (const [query, field] of cases) {
      const body = await expectProblem(await ask(query), 400, "invalid_input");
      expect(
        Object.keys(body.errors ?? {}).some((k) => k === field || k.startsWith(`${field}.`)),
        `${query}: ${JSON.stringify(body.errors)}`,
      ).toBe(true);
    }
    const unknown = await expectProblem(await ask(`?ci=${crypto.randomUUID()}&${window}`), 422, "invalid_input");
    expect(unknown.errors).toEqual({ ci: "One of these configuration items does not exist." });
  });

  it("lists the current and coming freezes to every role, as the calendar shades them", async () => {
    for (const user of [requester, auditor]) {
      const list = freezeListSchema.parse(
        await (await callApi(freezesRoute.GET, { path: "/freezes", token: await tokenOf(user, ["changes:read"]) })).json(),
      );
      expect(list.items.map((f) => f.reason)).not.toContain("Past");
    }
    const soon = await testDb().freezeWindow.create({
      data: {
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + DAY),
        reason: "Now",
        scope: "tags",
        tags: ["edge"],
        createdById: admin.id,
      },
    });
    const list = freezeListSchema.parse(
      await (await callApi(freezesRoute.GET, { path: "/freezes", token: await tokenOf(requester, ["changes:read"]) })).json(),
    );
    expect(list.items.find((f) => f.id === soon.id)).toMatchObject({ reason: "Now", scope: "tags", tags: ["edge"] });
    expect(list.items.some((f) => f.id === freezeId)).toBe(at(10).getTime() < Date.now() + 366 * DAY);
    await expectProblem(
      await callApi(freezesRoute.GET, { path: "/freezes?past=1", token: await tokenOf(requester, ["changes:read"]) }),
      400,
      "invalid_input",
    );
  });
});

describe("audit events", () => {
  it("lists the history page's events, each as its JSON line in the export", async () => {
    const token = await tokenOf(auditor, ["audit:read"]);
    const action = "ci.created";
    const { ids, pages } = await walk(eventsRoute.GET, token, `/audit/events?action=${action}&limit=1`);
    const page = await searchEvents(auditor.actor, { action });
    expect(ids).toEqual(page.rows.map((r) => String(r.seq)));
    expect(pages).toBeGreaterThanOrEqual(2);

    const response = await callApi(eventsRoute.GET, { path: `/audit/events?action=${action}&limit=100`, token });
    const events = auditEventListSchema.parse(await response.json()).items;
    const exported = await callApi(eventsExportRoute.GET, {
      path: `http://portal.test/api/exports/events?format=jsonl&action=${action}`,
      token,
    });
    expect(exported.status).toBe(200);
    const lines = (await exported.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number });
    const bySeq = new Map(lines.map((l) => [l.seq, l]));
    expect(lines).toHaveLength(events.length);
    for (const event of events) expect(event).toEqual(bySeq.get(event.seq));
  });

  it("refuses roles without the audit history, a forged cursor and bad filters", async () => {
    const refused = await expectProblem(
      await callApi(eventsRoute.GET, { path: "/audit/events", token: await tokenOf(requester, ["audit:read"]) }),
      403,
      "refused",
    );
    expect(refused.detail).toBe("Only auditors and admins can read and export the audit history.");
    const token = await tokenOf(admin, ["audit:read"]);
    expect((await callApi(eventsRoute.GET, { path: "/audit/events?limit=1", token })).status).toBe(200);
    const cases: [string, string][] = [
      [`?cursor=${encodeKeyCursor("cis", "5")}`, "cursor"],
      ["?cursor=5", "cursor"],
      ["?from=2026-02-30", "from"],
      ["?actor=me", "actor"],
      ["?action=DROP TABLE", "action"],
      ["?view=changes", "form"],
    ];
    for (const [query, field] of cases) {
      const body = await expectProblem(await callApi(eventsRoute.GET, { path: `/audit/events${query}`, token }), 400, "invalid_input");
      expect(body.errors, query).toHaveProperty(field);
    }
  });
});

describe("the audit exports with an audit:read token", () => {
  it("streams an export and its manifest without reading the session", async () => {
    session.reads = 0;
    session.actor = null;
    const token = await tokenOf(auditor, ["audit:read"]);
    // A foreign Origin is no concern of a token: no browser holds it for the caller.
    const exported = await callApi(eventsExportRoute.GET, {
      path: "http://portal.test/api/exports/events?format=csv",
      token,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(exported.status).toBe(200);
    expect(exported.body).toBeInstanceOf(ReadableStream);
    expect(await exported.text()).toMatch(/^seq,/);
    const id = exported.headers.get("x-export-id")!;
    const manifest = await callApi((r, c) => manifestRoute.GET(r, c as { params: Promise<{ id: string }> }), {
      path: `http://portal.test/api/exports/${id}/manifest`,
      token,
      params: { id },
    });
    expect(manifest.status).toBe(200);
    expect(JSON.parse(await manifest.text())).toMatchObject({ exportId: id });
    expect(session.reads).toBe(0);
    const recorded = await testDb().dataExport.findUniqueOrThrow({ where: { id }, select: { exportedById: true } });
    expect(recorded.exportedById).toBe(auditor.id);
  });

  it("refuses a token without the scope or the role, and one that is not a token, as the API does", async () => {
    session.reads = 0;
    session.actor = auditor.actor;
    const path = "http://portal.test/api/exports/events?format=jsonl";
    await expectProblem(
      await callApi(eventsExportRoute.GET, { path, token: await tokenOf(auditor, ["changes:read"]) }),
      403,
      "insufficient_scope",
    );
    await expectProblem(await callApi(eventsExportRoute.GET, { path, token: await tokenOf(requester, ["audit:read"]) }), 403, "refused");
    await expectProblem(await callApi(eventsExportRoute.GET, { path, headers: { authorization: "Basic YTpi" } }), 401, "token_malformed");
    // The signed-in auditor's cookie does not rescue a bad token.
    expect(session.reads).toBe(0);
    // Without a token the session's path is unchanged: its cross-site check, then the session.
    const crossSite = await eventsExportRoute.GET(new Request(path, { headers: { "sec-fetch-site": "cross-site" } }));
    expect(crossSite.status).toBe(403);
    expect(session.reads).toBe(0);
    const cookie = await eventsExportRoute.GET(new Request(path));
    expect(cookie.status).toBe(200);
    expect(await cookie.text()).not.toBe("");
    expect(session.reads).toBe(1);
  });
});

describe("change lists are unaffected", () => {
  it("still answers the changes list with its own cursor", async () => {
    const response = await callApi(changesRoute.GET, { path: "/changes?limit=1", token: await tokenOf(auditor, ["changes:read"]) });
    expect(changeListSchema.parse(await response.json()).items.length).toBeLessThanOrEqual(1);
  });
});
