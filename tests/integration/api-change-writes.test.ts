import { beforeAll, describe, expect, it } from "vitest";
import * as cancelRoute from "@/app/api/v1/changes/[id]/actions/cancel/route";
import * as closeRoute from "@/app/api/v1/changes/[id]/actions/close/route";
import * as recordOutcomeRoute from "@/app/api/v1/changes/[id]/actions/record-outcome/route";
import * as rejectRoute from "@/app/api/v1/changes/[id]/actions/reject/route";
import * as requestAuthorizationRoute from "@/app/api/v1/changes/[id]/actions/request-authorization/route";
import * as returnRoute from "@/app/api/v1/changes/[id]/actions/return-for-rework/route";
import * as scheduleRoute from "@/app/api/v1/changes/[id]/actions/schedule/route";
import * as startAssessmentRoute from "@/app/api/v1/changes/[id]/actions/start-assessment/route";
import * as startImplementationRoute from "@/app/api/v1/changes/[id]/actions/start-implementation/route";
import * as submitRoute from "@/app/api/v1/changes/[id]/actions/submit/route";
import * as withdrawRoute from "@/app/api/v1/changes/[id]/actions/withdraw/route";
import * as signOffRoute from "@/app/api/v1/changes/[id]/checklist/[key]/sign-off/route";
import * as waiverRoute from "@/app/api/v1/changes/[id]/checklist/[key]/waiver/route";
import * as commentsRoute from "@/app/api/v1/changes/[id]/comments/route";
import * as freezeApprovalsRoute from "@/app/api/v1/changes/[id]/freeze-exception/approvals/route";
import * as freezeExceptionRoute from "@/app/api/v1/changes/[id]/freeze-exception/route";
import * as implementerRoute from "@/app/api/v1/changes/[id]/implementer/route";
import * as rescheduleRoute from "@/app/api/v1/changes/[id]/reschedule/route";
import * as oneRoute from "@/app/api/v1/changes/[id]/route";
import * as votesRoute from "@/app/api/v1/changes/[id]/votes/route";
import * as changesRoute from "@/app/api/v1/changes/route";
import { changeDetailSchema, type ChangeDetailResource } from "@/lib/server/api/change-schemas";
import { commentListSchema } from "@/lib/server/api/change-write-schemas";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueOwnToken, issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { castVote } from "@/lib/server/changes/cast-vote";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { createFreeze } from "@/lib/server/schedule/save-freeze";
import type { Actor } from "@/lib/server/auth/current-actor";
import { callApi, type ApiCall } from "../support/api-client";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// The change writes of /api/v1 through their route handlers, with real tokens on a real database:
// each calls the use case the page's form calls (so a refusal reads as on the page), If-Match is
// checked under the change's lock (one 2xx and one 412 of two racing writes), and no hostile body
// gets a 500.

type User = Awaited<ReturnType<typeof createTestUser>>;
type Handler = Parameters<typeof callApi>[0];
let requester: User, other: User, manager: User, manager2: User, security: User, implementer: User, admin: User;
let cab: User[];
let bot: string;
let botActor: Actor;
const tokens = new Map<string, string>();
const DAY = 86_400_000;
const WRITE = ["changes:read", "changes:write"];

async function tokenOf(user: User, scopes = WRITE) {
  const key = `${user.id} ${scopes.join(",")}`;
  if (!tokens.has(key)) {
    const issued = await issueOwnToken(user.actor, { name: "test", scopes });
    if (!issued.ok) throw new Error(issued.message);
    tokens.set(key, issued.value.token);
  }
  return tokens.get(key)!;
}

type Call = Omit<ApiCall, "token" | "path"> & { path?: string; ifMatch?: string };
/** A call as `user` (or with a raw token), the path's parameters passed as Next passes them. */
async function api(handler: Handler, who: User | string, call: Call = {}) {
  const token = typeof who === "string" ? who : await tokenOf(who);
  const { ifMatch, headers = {}, params = {}, path, ...rest } = call;
  return callApi(handler, {
    method: "POST",
    path,
    token,
    params,
    headers: { ...headers, ...(ifMatch ? { "if-match": ifMatch } : {}) },
    ...rest,
  });
}

async function expectProblem(response: Response, status: number, code: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text);
  expect(body).toMatchObject({ type: "about:blank", status, code, detail: expect.any(String) });
  return body as { detail: string; errors?: Record<string, string> };
}

/** A 2xx answer with the change: its body parsed by the contract's schema, and its ETag. */
async function changed(response: Response, status = 200): Promise<{ change: ChangeDetailResource; etag: string }> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const change = changeDetailSchema.parse(JSON.parse(text));
  const etag = response.headers.get("etag")!;
  expect(etag).toBe(`W/"v${change.version}-e${change.timeline.events.at(-1)?.seq ?? 0}"`);
  return { change, etag };
}

const read = async (id: string, who: User = requester) =>
  changed(await api(oneRoute.GET, who, { method: "GET", params: { id }, path: `/changes/${id}` }));

const eventsOf = async (id: string) => (await readAuditEvents({ changeId: id, limit: 1000 })).map((e) => e.action);

/** A complete draft filed by `by` through the API, planned `days` ahead. */
async function draftViaApi(by: User = requester, overrides: Record<string, unknown> = {}, days = 1) {
  const ci = await createTestCi();
  const start = new Date(Date.now() + days * DAY);
  const body = completeDraft([ci.id], {
    plannedStart: start.toISOString(),
    plannedEnd: new Date(start.getTime() + 3_600_000).toISOString(),
    ...overrides,
  });
  return changed(await api(changesRoute.POST, by, { path: "/changes", body }), 201);
}

const step = (handler: Handler, who: User | string, id: string, body: unknown = {}, extra: Call = {}) =>
  api(handler, who, { params: { id }, body, ...extra });

beforeAll(async () => {
  [requester, other, manager, manager2, security, implementer, admin] = await Promise.all([
    createTestUser({ roles: ["requester"] }),
    createTestUser({ roles: ["requester"] }),
    createTestUser({ roles: ["change_manager"] }),
    createTestUser({ roles: ["change_manager"] }),
    createTestUser({ roles: ["security_reviewer"] }),
    createTestUser({ roles: ["implementer"] }),
    createTestUser({ roles: ["admin"] }),
  ]);
  cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  const account = await createServiceAccount(admin.actor, { name: "Pipeline", roles: ["requester", "implementer"] });
  if (!account.ok) throw new Error(account.message);
  const issued = await issueServiceAccountToken(admin.actor, { serviceAccountId: account.value.id, name: "ci", scopes: WRITE });
  if (!issued.ok) throw new Error(issued.message);
  bot = issued.value.token;
  botActor = {
    id: account.value.id,
    email: "",
    name: "Pipeline",
    roles: ["requester", "implementer"],
    mustChangePassword: false,
    kind: "service_account",
  };
});

describe("POST /api/v1/changes and PATCH /api/v1/changes/{id}", () => {
  it("files a draft (201, Location, ETag), edits only the fields sent, and submits it", async () => {
    const created = await api(changesRoute.POST, requester, { path: "/changes", body: { type: "normal", title: "Rotate keys" } });
    const { change, etag } = await changed(created, 201);
    expect(created.headers.get("location")).toBe(`/api/v1/changes/${change.id}`);
    expect(change).toMatchObject({ state: "draft", title: "Rotate keys", description: "", requester: { id: requester.id }, version: 1 });
    expect(await eventsOf(change.id)).toEqual(["change.created"]);

    const ci = await createTestCi();
    const full = completeDraft([ci.id]);
    const rest = Object.fromEntries(Object.entries(full).filter(([name]) => name !== "type" && name !== "title"));
    const edited = await changed(await step(oneRoute.PATCH, requester, change.id, rest, { method: "PATCH", ifMatch: etag }));
    expect(edited.change).toMatchObject({ title: "Rotate keys", description: full.description, version: 2, cis: [{ id: ci.id }] });
    expect(edited.etag).not.toBe(etag);
    const renamed = await changed(
      await step(oneRoute.PATCH, requester, change.id, { title: "Rotate the edge keys" }, { method: "PATCH", ifMatch: edited.etag }),
    );
    expect(renamed.change).toMatchObject({ title: "Rotate the edge keys", description: full.description, cis: [{ id: ci.id }] });

    const submitted = await changed(await step(submitRoute.POST, requester, change.id, {}, { ifMatch: renamed.etag }));
    expect(submitted.change).toMatchObject({ state: "submitted", version: 4 });
    expect(submitted.change.risk).toMatchObject({ preview: false });
    expect(await eventsOf(change.id)).toEqual(["change.created", "change.edited", "change.edited", "change.submitted"]);
  });

  it("takes pipelineMovesChange as the edit form does, and answers it", async () => {
    const { change, etag } = await draftViaApi(requester);
    expect(change.pipelineMovesChange).toBe(false);
    const on = await changed(
      await step(oneRoute.PATCH, requester, change.id, { pipelineMovesChange: true }, { method: "PATCH", ifMatch: etag }),
    );
    expect(on.change.pipelineMovesChange).toBe(true);
    expect((await read(change.id)).change.pipelineMovesChange).toBe(true);
    const refused = await expectProblem(
      await step(oneRoute.PATCH, requester, change.id, { pipelineMovesChange: "yes" }, { method: "PATCH" }),
      422,
      "invalid_input",
    );
    expect(refused.errors).toHaveProperty("pipelineMovesChange");
  });

  it("answers the form's field messages as 422, and never lets a token edit another requester's draft", async () => {
    const fieldErrors = async (body: Record<string, unknown>) =>
      (await expectProblem(await api(changesRoute.POST, requester, { path: "/changes", body }), 422, "invalid_input")).errors;
    expect(await fieldErrors({ type: "standard", title: " " })).toEqual({ title: "Give the change a title." });
    expect(await fieldErrors({ type: "normal", title: "x", plannedStart: "soon" })).toEqual({ plannedStart: "Enter a date and time." });
    expect(await fieldErrors({ type: "standard", title: "x" })).toEqual({
      templateId: "A standard change starts from an approved template.",
    });
    expect(await fieldErrors({ type: "normal", title: "x", ciIds: [crypto.randomUUID()] })).toEqual({
      ciIds: "A chosen configuration item does not exist.",
    });
    const { change, etag } = await draftViaApi(requester);
    // Hidden from another requester: a 404 as for GET, and nothing written.
    await expectProblem(await step(oneRoute.PATCH, other, change.id, { title: "Mine now" }, { method: "PATCH" }), 404, "not_found");
    await expectProblem(await step(submitRoute.POST, other, change.id), 404, "not_found");
    // A change manager sees it but may not edit a draft: the page's own refusal.
    const page = await updateChangeDraft(manager.actor, { ...completeDraft([]), title: "Mine now", changeId: change.id });
    expect(page.ok).toBe(false);
    const byManager = await expectProblem(
      await step(oneRoute.PATCH, manager, change.id, { title: "Mine now" }, { method: "PATCH" }),
      403,
      "refused",
    );
    expect(byManager.detail).toBe(!page.ok && page.message);
    expect((await read(change.id)).change.title).toBe("Rotate TLS certificates");
    expect((await read(change.id)).etag).not.toBe(etag); // the refusals are on its timeline
  });

  it("refuses a submission exactly as the page does", async () => {
    const { change } = await changed(
      await api(changesRoute.POST, requester, { path: "/changes", body: { type: "normal", title: "Half done" } }),
      201,
    );
    const page = await performChangeAction(requester.actor, { changeId: change.id, action: "submit" });
    expect(page.ok).toBe(false);
    const api403 = await expectProblem(await step(submitRoute.POST, requester, change.id), 403, "refused");
    expect(api403.detail).toBe(!page.ok && page.message);
    expect(api403.detail).toMatch(/plan|window|configuration item/i);
  });
});

describe("the change steps, end to end", () => {
  it("walks a normal change from draft to closed through the API, one audit event per accepted step", async () => {
    let { change, etag } = await draftViaApi(requester, { touchesAuth: true });
    const id = change.id;
    const go = async (handler: Handler, who: User, body: unknown = {}, extra: Call = {}) => {
      ({ change, etag } = await changed(await step(handler, who, id, body, { ifMatch: etag, ...extra })));
      return change;
    };
    expect(await go(submitRoute.POST, requester)).toMatchObject({ state: "submitted" });
    expect(await go(startAssessmentRoute.POST, manager)).toMatchObject({ state: "assessment" });
    const items = change.checklist.filter((i) => i.status === "pending");
    expect(items.length).toBeGreaterThan(1);
    // A security reviewer's item may be waived; the change manager's must be signed before implementation.
    const waived = items.find((i) => i.signerRole === "security_reviewer");
    const signed = items.filter((i) => i !== waived);
    for (const item of signed) {
      const signer = item.signerRole === "security_reviewer" ? security : manager;
      await go(signOffRoute.POST, signer, { evidence: `Checked ${item.key}.` }, { params: { id, key: item.key } });
    }
    await go(
      waiverRoute.POST,
      security,
      { compensatingControl: "Extra log review.", residualRisk: "Low." },
      { params: { id, key: waived!.key } },
    );
    expect(change.checklist.find((i) => i.key === waived!.key)).toMatchObject({
      status: "waived",
      compensatingControl: "Extra log review.",
    });
    expect(await go(requestAuthorizationRoute.POST, manager)).toMatchObject({ state: "authorization" });
    const voters: Partial<Record<string, User[]>> = { change_manager: [manager2], cab_member: cab, security_reviewer: [security] };
    for (const rule of change.approvals.missing) {
      for (const voter of voters[rule.role]!.slice(0, rule.needed))
        await go(votesRoute.POST, voter, { role: rule.role, decision: "approve", comment: "Fine." });
    }
    expect(change.approvals.status).toBe("satisfied");
    await go(implementerRoute.PUT, manager, { implementerId: implementer.id }, { method: "PUT" });
    expect(change.implementer).toMatchObject({ id: implementer.id });
    expect(await go(scheduleRoute.POST, manager)).toMatchObject({ state: "scheduled" });
    const start = new Date(Date.now() + 2 * DAY);
    const window = { plannedStart: start.toISOString(), plannedEnd: new Date(start.getTime() + 3_600_000).toISOString() };
    expect(await go(rescheduleRoute.POST, manager, window)).toMatchObject(window);
    // Two days early: the page's confirmation, then its reason.
    const early = await expectProblem(await step(startImplementationRoute.POST, implementer, id, {}, { ifMatch: etag }), 403, "refused");
    expect(early.detail).toMatch(/window/);
    ({ etag } = await read(id));
    expect(await go(startImplementationRoute.POST, implementer, { reason: "The owner asked for today." })).toMatchObject({
      state: "implementing",
    });
    expect(await go(recordOutcomeRoute.POST, implementer, { outcome: "successful", outcomeNotes: "Green." })).toMatchObject({
      state: "review",
    });
    const review = {
      worksAsIntended: true,
      securityControlsInPlace: true,
      monitoringCovers: true,
      documentationUpdated: true,
      notes: "Fine.",
    };
    expect(await go(closeRoute.POST, manager, review)).toMatchObject({ state: "closed" });

    const events = await eventsOf(id);
    for (const action of [
      "change.submitted",
      "change.assessment_started",
      "change.authorization_requested",
      "change.scheduled",
      "change.implementation_started",
      "change.outcome_recorded",
      "change.closed",
    ])
      expect(
        events.filter((e) => e === action),
        action,
      ).toHaveLength(1);
    expect(events.filter((e) => e === "change.action_refused")).toHaveLength(1);
  });

  it("rejects, returns, cancels and withdraws with the reasons the pages ask for", async () => {
    const submitted = async () => {
      const { change, etag } = await draftViaApi(requester);
      return (await changed(await step(submitRoute.POST, requester, change.id, {}, { ifMatch: etag }))).change.id;
    };
    const cases: [Handler, User, string][] = [
      [rejectRoute.POST, manager, "rejected"],
      [returnRoute.POST, manager, "draft"],
      [cancelRoute.POST, manager, "cancelled"],
      [withdrawRoute.POST, requester, "cancelled"],
    ];
    for (const [handler, who, state] of cases) {
      const id = await submitted();
      if (who !== requester) {
        const page = await performChangeAction(who.actor, {
          changeId: id,
          action: { rejected: "reject", draft: "return_for_rework", cancelled: "cancel" }[state],
        });
        const refused = await expectProblem(await step(handler, who, id), 403, "refused");
        expect(refused.detail, state).toBe(!page.ok && page.message);
      }
      const { change } = await changed(await step(handler, who, id, { reason: "Not this quarter." }));
      expect(change.state, state).toBe(state);
    }
  });

  it("asks for and grants a freeze exception", async () => {
    const start = new Date(Date.now() + 30 * DAY);
    const freeze = await createFreeze(admin.actor, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 2 * DAY).toISOString(),
      reason: "Peak",
      scope: "all",
      environments: "",
      tags: "",
    });
    expect(freeze.ok).toBe(true);
    const { change, etag } = await draftViaApi(requester, {}, 30.1);
    const asked = await changed(
      await step(freezeExceptionRoute.POST, requester, change.id, { reason: "The fix cannot wait." }, { ifMatch: etag }),
    );
    await changed(await step(freezeApprovalsRoute.POST, manager, change.id, { role: "change_manager" }, { ifMatch: asked.etag }));
    await changed(await step(freezeApprovalsRoute.POST, security, change.id, { role: "security_reviewer" }));
    const row = await testDb().freezeException.findUniqueOrThrow({ where: { changeId: change.id } });
    expect(row).toMatchObject({ reason: "The fix cannot wait.", managerApproverId: manager.id, securityApproverId: security.id });
  });

  it("lists and adds comments, a page at a time", async () => {
    const { change, etag } = await draftViaApi(requester);
    for (let i = 0; i < 22; i += 1) {
      const { etag: after } = await changed(await step(commentsRoute.POST, i % 2 ? manager : requester, change.id, { body: `Note ${i}` }));
      expect(after).toContain(`"v${change.version}-`);
    }
    const path = `/changes/${change.id}/comments`;
    const first = commentListSchema.parse(
      await (await api(commentsRoute.GET, requester, { method: "GET", path, params: { id: change.id } })).json(),
    );
    expect(first.items.map((c) => c.body).at(-1)).toBe("Note 21");
    expect(first.items).toHaveLength(20);
    const earlier = await api(commentsRoute.GET, requester, {
      method: "GET",
      path: `${path}?before=${encodeURIComponent(first.earlierBefore!)}`,
      params: { id: change.id },
    });
    expect(commentListSchema.parse(await earlier.json()).items.map((c) => c.body)).toEqual(["Note 0", "Note 1"]);
    await expectProblem(await api(commentsRoute.GET, other, { method: "GET", path, params: { id: change.id } }), 404, "not_found");
    await expectProblem(await step(commentsRoute.POST, other, change.id, { body: "Hi" }), 404, "not_found");
    await expectProblem(
      await api(commentsRoute.GET, requester, { method: "GET", path: `${path}?before=forged`, params: { id: change.id } }),
      400,
      "invalid_input",
    );
    // A comment does not bump the version, so the tag read before the comments is still current for it.
    await changed(await step(commentsRoute.POST, requester, change.id, { body: "Still v1" }, { ifMatch: etag }));
  });
});

describe("Prefer: return=minimal", () => {
  const MINIMAL = { prefer: "return=minimal" };
  /** A 204 with no body, the preference applied, and the ETag GET answers right after. */
  async function minimal(response: Response, id: string) {
    expect(response.status, await response.clone().text()).toBe(204);
    expect(await response.text()).toBe("");
    expect(response.headers.get("preference-applied")).toBe("return=minimal");
    const etag = response.headers.get("etag");
    expect(etag).toBe((await read(id)).etag);
    return etag!;
  }

  it("answers a step 204 with the new ETag alone, as GET would tag the change, and keeps every refusal", async () => {
    const { change, etag: drafted } = await draftViaApi(requester);
    const id = change.id;
    const submitted = await minimal(await step(submitRoute.POST, requester, id, {}, { ifMatch: drafted, headers: MINIMAL }), id);
    expect((await read(id)).change.state).toBe("submitted");
    // The tag answered is the one the next write's If-Match takes; the one before it is stale.
    await expectProblem(
      await step(startAssessmentRoute.POST, manager, id, {}, { ifMatch: drafted, headers: MINIMAL }),
      412,
      "precondition_failed",
    );
    await expectProblem(await step(startAssessmentRoute.POST, requester, id, {}, { ifMatch: submitted, headers: MINIMAL }), 403, "refused");
    await expectProblem(await step(commentsRoute.POST, other, id, { body: "Hi" }, { headers: MINIMAL }), 404, "not_found");
    // Retried with its Idempotency-Key, the 204 is replayed as it was.
    const retry = { ifMatch: submitted, headers: { ...MINIMAL, "idempotency-key": `assess-${id}` } };
    const assessed = await minimal(await step(startAssessmentRoute.POST, manager, id, {}, retry), id);
    const replayed = await step(startAssessmentRoute.POST, manager, id, {}, retry);
    expect(replayed.status).toBe(204);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.headers.get("etag")).toBe(assessed);
    expect(replayed.headers.get("preference-applied")).toBe("return=minimal");
    // A comment moves the ETag's event part; return=representation (or another preference) answers the change.
    const commented = await minimal(await step(commentsRoute.POST, requester, id, { body: "Noted." }, { headers: MINIMAL }), id);
    expect(commented).not.toBe(assessed);
    for (const prefer of ["return=representation", "respond-async, wait=5"]) {
      const { change: whole } = await changed(await step(commentsRoute.POST, requester, id, { body: prefer }, { headers: { prefer } }));
      expect(whole.id).toBe(id);
    }
    expect((await eventsOf(id)).filter((e) => e === "change.assessment_started")).toHaveLength(1);
  });
});

describe("who may write", () => {
  it("refuses a token without changes:write on every write, before reading the body", async () => {
    const readOnly = await tokenOf(requester, ["changes:read"]);
    const { change } = await draftViaApi(requester);
    const writes: [Handler, string, string?][] = [
      [changesRoute.POST, "POST"],
      [oneRoute.PATCH, "PATCH"],
      [submitRoute.POST, "POST"],
      [startAssessmentRoute.POST, "POST"],
      [requestAuthorizationRoute.POST, "POST"],
      [scheduleRoute.POST, "POST"],
      [startImplementationRoute.POST, "POST"],
      [recordOutcomeRoute.POST, "POST"],
      [closeRoute.POST, "POST"],
      [rejectRoute.POST, "POST"],
      [returnRoute.POST, "POST"],
      [cancelRoute.POST, "POST"],
      [withdrawRoute.POST, "POST"],
      [votesRoute.POST, "POST"],
      [signOffRoute.POST, "POST", "key"],
      [waiverRoute.POST, "POST", "key"],
      [implementerRoute.PUT, "PUT"],
      [rescheduleRoute.POST, "POST"],
      [freezeExceptionRoute.POST, "POST"],
      [freezeApprovalsRoute.POST, "POST"],
      [commentsRoute.POST, "POST"],
    ];
    for (const [handler, method, key] of writes) {
      const response = await api(handler, readOnly, {
        method: method as "POST",
        params: { id: change.id, ...(key ? { key: "threat_model" } : {}) },
        body: "{not json",
      });
      await expectProblem(response, 403, "insufficient_scope");
      expect(response.headers.get("www-authenticate")).toContain('scope="changes:write"');
    }
    expect((await read(change.id)).change.version).toBe(1);
  });

  it("refuses a service account every vote, sign-off, waiver and freeze-exception approval, in the domain's words", async () => {
    const { change, etag } = await draftViaApi(requester, { touchesAuth: true });
    const { change: submitted } = await changed(await step(submitRoute.POST, requester, change.id, {}, { ifMatch: etag }));
    const key = submitted.checklist[0]!.key;
    const cases: [Handler, Record<string, string>, unknown, () => Promise<{ ok: boolean; message?: string }>][] = [
      [
        votesRoute.POST,
        {},
        { role: "cab_member", decision: "approve" },
        () => castVote(botActor, { changeId: change.id, role: "cab_member", decision: "approve" }),
      ],
      [
        signOffRoute.POST,
        { key },
        { evidence: "Looked at it." },
        () => signOffItem(botActor, { changeId: change.id, key, evidence: "Looked at it." }),
      ],
      [
        waiverRoute.POST,
        { key },
        { compensatingControl: "Logs.", residualRisk: "Low." },
        () => waiveItem(botActor, { changeId: change.id, key, compensatingControl: "Logs.", residualRisk: "Low." }),
      ],
      [
        freezeApprovalsRoute.POST,
        {},
        { role: "change_manager" },
        async () => ({ ok: false, message: "A service account cannot approve a freeze exception; only a person can." }),
      ],
    ];
    for (const [handler, params, body, page] of cases) {
      const refused = await expectProblem(
        await step(handler, bot, change.id, body, { params: { id: change.id, ...params } }),
        403,
        "refused",
      );
      expect(refused.detail).toMatch(/^A service account cannot .*; only a person can\.$/);
      const direct = await page();
      expect(refused.detail).toBe(direct.message);
    }
    expect((await read(change.id)).change.version).toBe(submitted.version);
  });
});

describe("If-Match", () => {
  it("answers a stale tag with 412 and the current ETag, a malformed one with 400, and writes nothing", async () => {
    const { change, etag } = await draftViaApi(requester);
    const fresh = await changed(await step(oneRoute.PATCH, requester, change.id, { title: "First" }, { method: "PATCH", ifMatch: etag }));
    const events = await eventsOf(change.id);
    // Every write to the change checks the version before the rules, so each is a 412 here.
    const later = new Date(Date.now() + 3 * DAY);
    const stales: [Handler, unknown, "POST" | "PATCH" | "PUT", Record<string, string>?][] = [
      [oneRoute.PATCH, { title: "Second" }, "PATCH"],
      [submitRoute.POST, {}, "POST"],
      [withdrawRoute.POST, { reason: "Late." }, "POST"],
      [commentsRoute.POST, { body: "Late." }, "POST"],
      [votesRoute.POST, { role: "cab_member", decision: "approve" }, "POST"],
      [signOffRoute.POST, { evidence: "Late." }, "POST", { key: "threat_model" }],
      [waiverRoute.POST, { compensatingControl: "Late.", residualRisk: "Low." }, "POST", { key: "threat_model" }],
      [implementerRoute.PUT, { implementerId: implementer.id }, "PUT"],
      [
        rescheduleRoute.POST,
        { plannedStart: later.toISOString(), plannedEnd: new Date(later.getTime() + 3_600_000).toISOString() },
        "POST",
      ],
      [freezeExceptionRoute.POST, { reason: "Late." }, "POST"],
      [freezeApprovalsRoute.POST, { role: "change_manager" }, "POST"],
    ];
    for (const [handler, body, method, params = {}] of stales) {
      const stale = await step(handler, requester, change.id, body, { method, ifMatch: etag, params: { id: change.id, ...params } });
      await expectProblem(stale, 412, "precondition_failed");
      expect(stale.headers.get("etag")).toBe(fresh.etag);
    }
    // Only the version counts: the timeline part may differ (a comment, a refusal since).
    const sameVersion = `W/"v${fresh.change.version}-e1"`;
    for (const bad of ['"abc"', "v2", 'W/"v0-e1"', `${etag}, ${fresh.etag}`, 'W/"v99999999999-e1"', '"v1-e"'])
      await expectProblem(
        await step(oneRoute.PATCH, requester, change.id, { title: "Bad tag" }, { method: "PATCH", ifMatch: bad }),
        400,
        "invalid_if_match",
      );
    expect(await eventsOf(change.id)).toEqual(events);
    expect((await read(change.id)).change).toMatchObject({ title: "First", version: fresh.change.version });
    await changed(await step(oneRoute.PATCH, requester, change.id, { title: "Third" }, { method: "PATCH", ifMatch: sameVersion }));
    await changed(await step(oneRoute.PATCH, requester, change.id, { title: "Fourth" }, { method: "PATCH", ifMatch: "*" }));
  });

  it("lets one of two writes racing with the same If-Match through, and answers the other 412", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { change, etag } = await draftViaApi(requester);
      const [a, b] = await Promise.all([
        step(oneRoute.PATCH, requester, change.id, { title: "Edit A" }, { method: "PATCH", ifMatch: etag }),
        step(oneRoute.PATCH, requester, change.id, { title: "Edit B" }, { method: "PATCH", ifMatch: etag }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const [won] = [a, b].filter((r) => r.status === 200);
      const { change: after } = await changed(won!);
      expect(after.version).toBe(2);
      expect((await eventsOf(change.id)).filter((e) => e === "change.edited")).toHaveLength(1);

      const [s1, s2] = await Promise.all([
        step(submitRoute.POST, requester, change.id, {}, { ifMatch: won!.headers.get("etag")! }),
        step(submitRoute.POST, requester, change.id, {}, { ifMatch: won!.headers.get("etag")! }),
      ]);
      expect([s1.status, s2.status].sort()).toEqual([200, 412]);
      expect((await eventsOf(change.id)).filter((e) => e === "change.submitted")).toHaveLength(1);
    }
  });
});

describe("hostile bodies", () => {
  it("answers wrong types, unknown fields, huge and broken strings with 4xx problems, never a 500", async () => {
    const { change } = await draftViaApi(requester);
    const huge = "x".repeat(60_000);
    const bodies: unknown[] = [
      { title: 5 },
      { title: null },
      { title: ["a"] },
      { title: { $gt: "" } },
      { bogus: true },
      '{"__proto__": {"admin": true}, "title": "x"}',
      { constructor: { prototype: { admin: true } } },
      { title: huge },
      { reason: huge },
      { evidence: huge },
      { body: huge },
      { title: "a\u0000b" },
      { reason: "\ud800" },
      { ciIds: ["not-a-uuid"] },
      { ciIds: Array.from({ length: 200 }, () => crypto.randomUUID()) },
      { plannedStart: "2026-02-31T25:00:00Z" },
      { outcome: "exploded" },
      { worksAsIntended: "yes" },
      { role: "admin", decision: "approve" },
      { implementerId: "' OR 1=1 --" },
      { plannedStart: 12, plannedEnd: true },
      "[]",
      "null",
      '"text"',
      "{",
      `{"title": "${"\\u0000".repeat(10)}"}`,
    ];
    const handlers: [Handler, "POST" | "PATCH" | "PUT", Record<string, string>?][] = [
      [changesRoute.POST, "POST"],
      [oneRoute.PATCH, "PATCH"],
      [submitRoute.POST, "POST"],
      [startImplementationRoute.POST, "POST"],
      [recordOutcomeRoute.POST, "POST"],
      [closeRoute.POST, "POST"],
      [rejectRoute.POST, "POST"],
      [votesRoute.POST, "POST"],
      [signOffRoute.POST, "POST", { key: "threat_model" }],
      [waiverRoute.POST, "POST", { key: "x".repeat(500) }],
      [implementerRoute.PUT, "PUT"],
      [rescheduleRoute.POST, "POST"],
      [freezeExceptionRoute.POST, "POST"],
      [freezeApprovalsRoute.POST, "POST"],
      [commentsRoute.POST, "POST"],
    ];
    for (const [handler, method, params = {}] of handlers) {
      for (const body of bodies) {
        const response = await api(handler, manager, { method, params: { id: change.id, ...params }, body });
        const where = `${method} ${handler.name} ${JSON.stringify(body).slice(0, 60)}`;
        expect(response.status, where).toBeGreaterThanOrEqual(400);
        expect(response.status, where).toBeLessThan(500);
        expect(response.headers.get("content-type"), where).toBe("application/problem+json");
        expect(await response.text(), where).not.toMatch(/prisma|stack|at \w+ \(|invalid input syntax/i);
      }
    }
    // An unknown field is named, not silently dropped.
    const unknown = await expectProblem(await step(submitRoute.POST, requester, change.id, { force: true }), 422, "invalid_input");
    expect(Object.keys(unknown.errors ?? {}).join()).toMatch(/form|force/);
    // An id that is not a change's is a 404, as for GET.
    for (const id of ["CHG-000001", crypto.randomUUID(), "../../me"])
      await expectProblem(await step(submitRoute.POST, requester, id), 404, "not_found");
    expect((await read(change.id)).change.version).toBe(1);
  });
});
