import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as getChange } from "@/app/api/v1/changes/[id]/route";
import { GET as listChangesRoute } from "@/app/api/v1/changes/route";
import { ok, refuse, refuseAs } from "@/lib/domain/result";
import { apiRoute, MAX_BODY_BYTES } from "@/lib/server/api/api-route";
import { encodeApiCursor } from "@/lib/server/api/api-cursor";
import { changeDetailSchema, changeListSchema } from "@/lib/server/api/change-schemas";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { addComment } from "@/lib/server/changes/add-comment";
import { listChanges } from "@/lib/server/changes/list-changes";
import { DatabaseBusyError, refuseWhenBusy } from "@/lib/server/db/database-busy";
import { callApi } from "../support/api-client";
import { createTestCi, createTestUser, testDb } from "../support/fixtures";

// GET /api/v1/changes and /api/v1/changes/{id} through their exported handlers, with real tokens
// and real Requests: the same visibility as the pages, a cursor that cannot be forged, hostile
// query strings answered with 400 problems, and ETags.

type User = Awaited<ReturnType<typeof createTestUser>>;
let requester: User, other: User, auditor: User, admin: User;
let own: string, theirs: string, implemented: string;
const tokens = new Map<string, string>();
const stamp = `api-${Date.now()}`;
const DAY = 86_400_000;
const BASE = "http://portal.test/api/v1/changes";

async function change(by: User, title: string, data: Record<string, unknown> = {}) {
  const created = await testDb().changeRequest.create({
    data: {
      type: "normal",
      state: "scheduled",
      title: `${stamp} ${title}`,
      requesterId: by.id,
      plannedStart: new Date(Date.now() + DAY),
      plannedEnd: new Date(Date.now() + DAY + 3_600_000),
      ...data,
    },
    select: { id: true },
  });
  return created.id;
}

async function tokenOf(user: User, scopes = ["changes:read"]) {
  const key = `${user.id} ${scopes.join(",")}`;
  if (!tokens.has(key)) {
    const issued = await issueOwnToken(user.actor, { name: "test", scopes });
    if (!issued.ok) throw new Error(issued.message);
    tokens.set(key, issued.value.token);
  }
  return tokens.get(key)!;
}

// Through callApi: each response is checked against the OpenAPI document too.
const list = async (query: string, token?: string) => callApi(listChangesRoute, { path: `/changes${query}`, token });
const one = async (id: string, token?: string, headers: Record<string, string> = {}) =>
  callApi(getChange, { path: `/changes/${encodeURIComponent(id)}`, token, headers, params: { id } });

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await response.json();
  expect(body).toMatchObject({ type: "about:blank", title: expect.any(String), status, code, detail: expect.any(String) });
  return body as { detail: string; errors?: Record<string, string> };
}

/** Every id the API lists for `query`, walking the `next` links. */
async function walk(token: string, query: string, between?: () => Promise<unknown>) {
  const seen: string[] = [];
  let url: string | null = `${BASE}${query}`;
  while (url) {
    const response = await callApi(listChangesRoute, { path: url, token });
    expect(response.status).toBe(200);
    const body = changeListSchema.parse(await response.json());
    seen.push(...body.items.map((i) => i.id));
    url = body.next ? new URL(body.next, BASE).toString() : null;
    await between?.();
  }
  return seen;
}

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  other = await createTestUser({ roles: ["requester"] });
  auditor = await createTestUser({ roles: ["auditor"] });
  admin = await createTestUser({ roles: ["admin"] });
  own = await change(requester, "own");
  theirs = await change(other, "theirs", { state: "assessment" });
  implemented = await change(other, "implemented by me", { implementerId: requester.id });
  await testDb().checklistItem.create({
    data: { changeId: own, key: "threat_model", title: "Threat model", signerRole: "security_reviewer", evidenceWanted: "A link." },
  });
});

describe("the Bearer gate on /api/v1/changes", () => {
  it("answers 401 without a token and 403 to a token without changes:read", async () => {
    await expectProblem(await list(""), 401, "token_missing");
    await expectProblem(await one(own), 401, "token_missing");
    const cmdb = await tokenOf(requester, ["cmdb:read"]);
    const refused = await list("", cmdb);
    await expectProblem(refused, 403, "insufficient_scope");
    expect(refused.headers.get("www-authenticate")).toContain('scope="changes:read"');
    await expectProblem(await one(own, cmdb), 403, "insufficient_scope");
  });
});

describe("GET /api/v1/changes", () => {
  it("lists exactly what the change list page shows each viewer", async () => {
    for (const user of [requester, other, auditor, admin]) {
      const page: string[] = [];
      let after: string | undefined;
      do {
        const read = await listChanges(user.actor, { q: stamp, after });
        page.push(...read.rows.map((r) => r.id));
        after = read.nextCursor ?? undefined;
      } while (after);
      expect(await walk(await tokenOf(user), `?q=${stamp}&limit=2`), user.actor.roles.join()).toEqual(page);
    }
    expect((await walk(await tokenOf(requester), `?q=${stamp}`)).sort()).toEqual([own, implemented].sort());
    expect(await walk(await tokenOf(admin), `?q=${stamp}`)).toEqual([]);
  });

  it("applies the page's filters and answers the documented shape", async () => {
    const response = await list(`?q=${stamp}&state=assessment`, await tokenOf(auditor));
    const body = changeListSchema.parse(await response.json());
    expect(body.items.map((i) => i.id)).toEqual([theirs]);
    expect(body.items[0]).toMatchObject({ state: "assessment", type: "normal", reference: expect.stringMatching(/^CHG-/) });
    expect(body).toMatchObject({ nextCursor: null, next: null });
  });

  it("walks every visible change once with a cursor while new ones are filed", async () => {
    const walkStamp = `${stamp} walk`;
    const before = [];
    for (let i = 0; i < 7; i += 1) before.push(await change(requester, `walk ${i}`));
    await change(other, "walk hidden");
    let added = 0;
    const seen = await walk(await tokenOf(requester), `?q=${encodeURIComponent(walkStamp)}&limit=3`, async () => {
      added += 1;
      await change(requester, `walk added ${added}`);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...before].reverse());
    expect(added).toBe(3);
  });

  it("refuses a forged, edited or garbled cursor with a 400 problem", async () => {
    const token = await tokenOf(requester);
    const first = changeListSchema.parse(await (await list(`?q=${stamp}&limit=1`, token)).json());
    expect(first.nextCursor).not.toBeNull();
    const [payload, mac] = first.nextCursor!.split(".");
    const moved = encodeApiCursor(new Date(), crypto.randomUUID()).split(".")[0];
    const position = Buffer.from(payload!, "base64url").toString();
    for (const cursor of [
      "garbage",
      `${moved}.${mac}`,
      `${payload}.${mac}x`,
      `${payload}.`,
      `${payload}.${mac}.${mac}`,
      position,
      "a".repeat(5000),
      "%ZZ",
    ]) {
      const body = await expectProblem(await list(`?cursor=${encodeURIComponent(cursor)}`, token), 400, "invalid_input");
      expect(body.errors).toHaveProperty("cursor");
    }
    expect((await list(`?cursor=${encodeURIComponent(first.nextCursor!)}`, token)).status).toBe(200);
  });

  it("answers hostile query values with 400 problems naming the field", async () => {
    const token = await tokenOf(auditor);
    const cases: [string, string][] = [
      ["?limit=1000", "limit"],
      ["?limit=99999999999999999999", "limit"],
      ["?limit=0", "limit"],
      ["?limit=-1", "limit"],
      ["?limit=2.5", "limit"],
      ["?limit=abc", "limit"],
      ["?q=a%00b", "q"],
      ["?q=a&q=b", "q"],
      ["?state[]=draft", "form"],
      ["?state=bogus", "state"],
      ["?risk=%F0%9F%92%A5", "risk"],
      ["?after=2026-01-01T00:00:00.000Z_00000000-0000-0000-0000-000000000000", "form"],
    ];
    for (const [query, field] of cases) {
      const body = await expectProblem(await list(query, token), 400, "invalid_input");
      expect(body.errors, query).toHaveProperty(field);
      expect(JSON.stringify(body), query).not.toMatch(/prisma|stack|at \w+ \(/i);
    }
    expect((await list("?limit=100&q=", token)).status).toBe(200);
  });
});

describe("GET /api/v1/changes/{id}", () => {
  it("answers the change with its panels, in the documented shape", async () => {
    const response = await one(own, await tokenOf(requester));
    expect(response.status).toBe(200);
    const body = changeDetailSchema.parse(await response.json());
    expect(body).toMatchObject({ id: own, state: "scheduled", requester: { id: requester.id } });
    expect(body.checklist).toEqual([expect.objectContaining({ key: "threat_model", status: "pending", signedBy: null })]);
    expect(body.approvals.rules.length).toBeGreaterThan(0);
    expect(body.approvals.rules[0]).toMatchObject({ role: expect.any(String), reason: expect.any(String) });
    expect(Array.isArray(body.conflicts) && Array.isArray(body.timeline.events)).toBe(true);
  });

  it("answers the change's deployments, authorized or with the reason, and whether its pipeline moves it", async () => {
    const ci = await createTestCi();
    const id = await change(requester, "deployed", { pipelineMovesChange: true });
    const base = { environment: "production", ciId: ci.id, ciName: ci.name, reportedById: requester.id, changeId: id };
    const digest = `sha256:${"a".repeat(64)}`;
    await testDb().deployment.create({
      data: {
        ...base,
        digests: [digest],
        status: "succeeded",
        startedAt: new Date(Date.now() - 3_600_000),
        finishedAt: new Date(Date.now() - 3_000_000),
        pipelineRunUrl: `https://ci.example/${stamp}/1`,
        authorized: true,
        createdAt: new Date(Date.now() - 3_600_000),
      },
    });
    const reasons = [{ code: "outside_window", message: "The deployment started outside the change's approved window." }];
    await testDb().deployment.create({
      data: {
        ...base,
        digests: [digest],
        status: "failed",
        pipelineRunUrl: `https://ci.example/${stamp}/2`,
        pipelineStep: "deploy",
        authorized: false,
        unauthorizedReason: "outside_window",
        reasons,
      },
    });
    const body = changeDetailSchema.parse(await (await one(id, await tokenOf(requester))).json());
    expect(body.pipelineMovesChange).toBe(true);
    expect(body.deployments).toEqual([
      expect.objectContaining({
        environment: "production",
        ci: { id: ci.id, name: ci.name },
        status: "failed",
        authorized: false,
        unauthorizedReason: "outside_window",
        reasons,
        pipelineRunUrl: `https://ci.example/${stamp}/2`,
        pipelineStep: "deploy",
        startedAt: null,
      }),
      expect.objectContaining({ status: "succeeded", authorized: true, unauthorizedReason: null, reasons: [], digests: [digest] }),
    ]);
    expect(body.deployments[1]!.finishedAt).toEqual(expect.any(String));
    const plain = changeDetailSchema.parse(await (await one(own, await tokenOf(requester))).json());
    expect(plain).toMatchObject({ pipelineMovesChange: false, deployments: [] });
  });

  it("answers a change the viewer may not open exactly as a missing one, and a malformed id too", async () => {
    const token = await tokenOf(requester);
    const hidden = await expectProblem(await one(theirs, token), 404, "not_found");
    const missing = await expectProblem(await one(crypto.randomUUID(), token), 404, "not_found");
    const malformed = await expectProblem(await one("CHG-000001", token), 404, "not_found");
    expect(hidden).toEqual(missing);
    expect(malformed).toEqual(missing);
    expect((await one(implemented, token)).status).toBe(200);
    expect((await one(theirs, await tokenOf(auditor))).status).toBe(200);
    await expectProblem(await one(own, await tokenOf(admin)), 404, "not_found");
  });

  it("carries an ETag of the change's version and timeline, and answers If-None-Match with 304", async () => {
    const token = await tokenOf(requester);
    const first = await one(own, token);
    const body = changeDetailSchema.parse(await first.json());
    const etag = first.headers.get("etag")!;
    expect(etag).toBe(`W/"v${body.version}-e${body.timeline.events.at(-1)?.seq ?? 0}"`);
    const cached = await one(own, token, { "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe("");
    expect(cached.headers.get("etag")).toBe(etag);
    expect((await one(own, token, { "if-none-match": `"other", ${etag.slice(2)}` })).status).toBe(304);
    expect((await one(own, token, { "if-none-match": '"other"' })).status).toBe(200);
    // A write bumps the version.
    await testDb().changeRequest.update({ where: { id: own }, data: { version: { increment: 1 } } });
    const written = await one(own, token, { "if-none-match": etag });
    expect(written.status).toBe(200);
    const second = written.headers.get("etag")!;
    expect(second).toContain(`"v${body.version + 1}-`);
    // A comment adds to the timeline without a new version: the tag still changes.
    expect((await addComment(requester.actor, { changeId: own, body: "Watching this one." })).ok).toBe(true);
    const commented = await one(own, token, { "if-none-match": second });
    expect(commented.status).toBe(200);
    expect(commented.headers.get("etag")).not.toBe(second);
    expect(changeDetailSchema.parse(await commented.json()).timeline.events.at(-1)?.action).toMatch(/comment/);
  });
});

// A probe route of its own, not an operation of the document: its Requests are built here.
describe("the route wrapper", () => {
  const route = (run: (input: { name: string }) => Promise<never> | Promise<ReturnType<typeof ok<{ name: string }>>>) =>
    apiRoute({ scope: null, input: z.object({ name: z.string().min(1) }).strict(), run: (_, input) => run(input) });
  const echo = route(async (input) => ok(input));
  const post = async (handler: ReturnType<typeof route>, body: BodyInit, type = "application/json") =>
    handler(
      new Request(`${BASE}/probe`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${await tokenOf(requester)}`, "content-type": type },
      }),
    );

  it("reads a JSON body and refuses one that is not JSON, too large, of another type or with bad fields", async () => {
    expect(await (await post(echo, JSON.stringify({ name: "x" }))).json()).toEqual({ name: "x" });
    await expectProblem(await post(echo, "{not json"), 400, "body_not_json");
    await expectProblem(await post(echo, "[1]"), 400, "body_not_object");
    await expectProblem(await post(echo, JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) })), 413, "body_too_large");
    await expectProblem(await post(echo, "name=x", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    const bad = await expectProblem(await post(echo, JSON.stringify({ name: "" })), 422, "invalid_input");
    expect(bad.errors).toHaveProperty("name");
  });

  it("maps refusals by kind, a busy database to 503 and a failure to 500 without internals", async () => {
    const body = JSON.stringify({ name: "x" });
    await expectProblem(
      await post(
        route(async () => refuse("Not yours.")),
        body,
      ),
      403,
      "refused",
    );
    const fields = await expectProblem(
      await post(
        route(async () => refuse("Fix the name.", { name: "Too short." })),
        body,
      ),
      422,
      "invalid_input",
    );
    expect(fields).toMatchObject({ detail: "Fix the name.", errors: { name: "Too short." } });
    await expectProblem(
      await post(
        route(async () => refuseAs("not_found", "No such thing.")),
        body,
      ),
      404,
      "not_found",
    );
    await expectProblem(
      await post(
        route(async () => refuseAs("conflict", "Already done.")),
        body,
      ),
      409,
      "conflict",
    );
    const busy = await post(
      route(async () => {
        throw new DatabaseBusyError();
      }),
      body,
    );
    await expectProblem(busy, 503, "database_busy");
    expect(busy.headers.get("retry-after")).toBe("1");
    // A use case that caught the busy database itself (refuseWhenBusy) is a 503 too, not a 403.
    const caught = await post(
      route(() => refuseWhenBusy(() => Promise.reject(new DatabaseBusyError()))),
      body,
    );
    await expectProblem(caught, 503, "database_busy");
    const failed = await post(
      route(async () => {
        throw new Error("secret internal detail");
      }),
      body,
    );
    const problem = await expectProblem(failed, 500, "internal_error");
    expect(problem.detail).toMatch(/ref [0-9a-f]{8}/);
    expect(problem.detail).not.toContain("secret internal detail");
  });
});
