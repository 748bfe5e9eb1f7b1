import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import * as checkRoute from "@/app/api/v1/deployments/check/route";
import * as deploymentsRoute from "@/app/api/v1/deployments/route";
import * as changesRoute from "@/app/api/v1/changes/route";
import { CHECKLIST_ITEMS } from "@/lib/domain/checklist";
import { gateAnswerSchema, deploymentSchema } from "@/lib/server/deployments/deployment-schemas";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueOwnToken, issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { checkDeployment } from "@/lib/server/deployments/check-deployment";
import { listChangeDeployments } from "@/lib/server/deployments/list-change-deployments";
import type { ApiActor } from "@/lib/server/api/authenticate-bearer";
import { callApi } from "../support/api-client";
import { createTestCi, createTestUser, testDb } from "../support/fixtures";

// The deployment gate and deployment records through their route handlers, with real tokens on a
// real database: the rules as the domain decides them, the stored answer a rerun gets, the audit
// events, the unauthorized deployment's notifications, hostile bodies, and a gate that cannot read
// its facts in time answering deny.

type User = Awaited<ReturnType<typeof createTestUser>>;
const HOUR = 3_600_000;
const digestOf = (c: string) => `sha256:${c.repeat(64)}`;
const freshDigest = () => `sha256:${randomBytes(32).toString("hex")}`;
const OTHER = digestOf("b");
let admin: User, manager: User, security: User, requester: User;
let bot: string, botId: string, personal: string, readOnly: string;
let runs = 0;
const runUrl = () => `https://ci.example.test/acme/shop/actions/runs/${++runs}`;

/** A scheduled change on a CI of its own, approving a digest of its own, its window around now. */
async function scheduledChange(options: { moves?: boolean; implementerId?: string; critical?: number } = {}) {
  const db = testDb();
  const now = Date.now();
  const ci = await createTestCi();
  const digest = freshDigest();
  const change = await db.changeRequest.create({
    data: {
      type: "normal",
      state: "scheduled",
      title: "Ship shop-api 1.4.2",
      requesterId: requester.id,
      implementerId: options.implementerId ?? botId,
      plannedStart: new Date(now - HOUR),
      plannedEnd: new Date(now + HOUR),
      releaseArtifact: true,
      pipelineMovesChange: options.moves ?? false,
      cis: { create: [{ ciId: ci.id }] },
      artifacts: {
        create: [digest].map((digest, i) => ({
          name: `shop-api-${i}`,
          version: "1.4.2",
          digest,
          scanScanner: "trivy",
          scannedAt: new Date(now - 2 * HOUR),
          scanCritical: options.critical ?? 0,
          scanHigh: 1,
          scanMedium: 0,
          scanLow: 0,
          scanKnownExploited: 0,
        })),
      },
    },
    select: { id: true, number: true },
  });
  // The readiness items every normal change needs before it starts, signed.
  await db.checklistItem.createMany({
    data: (["backup_verified", "rollback_tested", "secure_baseline"] as const).map((key) => ({
      changeId: change.id,
      key,
      title: CHECKLIST_ITEMS[key].title,
      signerRole: CHECKLIST_ITEMS[key].signerRole,
      evidenceWanted: CHECKLIST_ITEMS[key].evidence,
      preImplementation: CHECKLIST_ITEMS[key].preImplementation,
      status: "signed",
      signedById: manager.id,
      signedAt: new Date(),
    })),
  });
  return { ...change, ci, digest };
}

const gate = (body: unknown, token = bot) => callApi(checkRoute.POST, { method: "POST", token, body });
const report = (body: unknown, token = bot) => callApi(deploymentsRoute.POST, { method: "POST", token, body });

async function answerOf(response: Response) {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return gateAnswerSchema.parse(JSON.parse(text));
}

beforeAll(async () => {
  [admin, manager, security, requester] = await Promise.all([
    createTestUser({ roles: ["admin"] }),
    createTestUser({ roles: ["change_manager"] }),
    createTestUser({ roles: ["security_reviewer"] }),
    createTestUser({ roles: ["requester"] }),
  ]);
  const account = await createServiceAccount(admin.actor, { name: "Deploy pipeline", roles: ["implementer"] });
  if (!account.ok) throw new Error(account.message);
  botId = account.value.id;
  const issued = await issueServiceAccountToken(admin.actor, {
    serviceAccountId: botId,
    name: "ci",
    scopes: ["deployments:write", "deployments:read"],
  });
  if (!issued.ok) throw new Error(issued.message);
  bot = issued.value.token;
  const own = await issueOwnToken(requester.actor, { name: "mine", scopes: ["deployments:write"] });
  if (!own.ok) throw new Error(own.message);
  personal = own.value.token;
  const reads = await issueServiceAccountToken(admin.actor, { serviceAccountId: botId, name: "ro", scopes: ["changes:read"] });
  if (!reads.ok) throw new Error(reads.message);
  readOnly = reads.value.token;
});

describe("POST /api/v1/deployments/check", () => {
  it("allows an approved digest inside the window, says until when, and audits the token and run", async () => {
    const c = await scheduledChange();
    const url = runUrl();
    const body = { environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: url, pipelineStep: "deploy" };
    const response = await gate(body);
    expect(response.headers.get("gate-decision")).toBe("allow");
    const answer = await answerOf(response);
    expect(answer).toMatchObject({ decision: "allow", allowed: true, reasons: [], change: { number: c.number }, replayed: false });
    expect(new Date(answer.validUntil).getTime()).toBeGreaterThan(Date.now());
    const event = await testDb().auditEvent.findFirstOrThrow({ where: { action: "deployment.gate_allowed", entityId: answer.decisionId } });
    expect(event.actorId).toBe(botId);
    expect(event.changeId).toBe(c.id);
    expect(event.after).toMatchObject({ pipelineRunUrl: url, pipelineStep: "deploy", token: { id: expect.any(String) } });

    // A rerun of the same step gets the same answer while it holds, even after the change moved on.
    await testDb().changeRequest.update({ where: { id: c.id }, data: { state: "review" } });
    const again = await answerOf(await gate(body));
    expect(again).toMatchObject({ decision: "allow", decisionId: answer.decisionId, replayed: true });
    // Another step of the run is a new question, decided afresh.
    const other = await answerOf(await gate({ ...body, pipelineStep: "deploy-eu" }));
    expect(other.reasons.map((r) => r.code)).toEqual(["change_not_open"]);
    expect(await testDb().auditEvent.count({ where: { entityType: "deployment_gate", changeId: c.id } })).toBe(3);
  });

  it("blocks a digest the change does not approve, with its reason, and stores no allow for the rerun", async () => {
    const c = await scheduledChange();
    const body = { environment: "production", cis: [c.ci.name], digests: [OTHER], pipelineRunUrl: runUrl() };
    const answer = await answerOf(await gate(body));
    expect(answer).toMatchObject({ decision: "deny", change: { number: c.number } });
    expect(answer.reasons.map((r) => r.code)).toEqual(["digest_not_approved"]);
    expect(answer.summary).toContain(OTHER);
    expect((await answerOf(await gate(body))).replayed).toBe(false);
  });

  it("denies with what to do when no change matches, and a forged change number", async () => {
    const c = { ci: await createTestCi(), digest: freshDigest() };
    const none = await answerOf(await gate({ environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: runUrl() }));
    expect(none.reasons.map((r) => r.code)).toEqual(["no_change"]);
    expect(none.summary).toContain("File a change");
    const forged = await answerOf(
      await gate({ environment: "production", cis: [c.ci.name], digests: [c.digest], changeNumber: 987654, pipelineRunUrl: runUrl() }),
    );
    expect(forged.reasons.map((r) => r.code)).toEqual(["change_not_found"]);
    const other = await scheduledChange();
    const wrong = await answerOf(
      await gate({
        environment: "production",
        cis: ["no-such-ci"],
        digests: [c.digest],
        changeNumber: `CHG-${other.number}`,
        pipelineRunUrl: runUrl(),
      }),
    );
    expect(wrong.reasons.map((r) => r.code)).toEqual(["unknown_ci", "digest_not_approved"]);
  });

  it("denies an artifact with a critical finding in production", async () => {
    const c = await scheduledChange({ critical: 1 });
    const answer = await answerOf(
      await gate({ environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: runUrl() }),
    );
    expect(answer.reasons.map((r) => r.code)).toEqual(["scan_policy"]);
  });

  it("never fails open: a gate that cannot read its facts in time denies, and says so in the log", async () => {
    const c = await scheduledChange();
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE deployment_gate_decisions IN ACCESS EXCLUSIVE MODE");
      const actor = await testDb().user.findUniqueOrThrow({ where: { id: botId }, select: { id: true, email: true, name: true } });
      const token = await testDb().apiToken.findFirstOrThrow({
        where: { ownerId: botId },
        select: { id: true, publicId: true, expiresAt: true },
      });
      const apiActor: ApiActor = {
        ...actor,
        roles: ["implementer"],
        mustChangePassword: false,
        kind: "service_account",
        scopes: ["deployments:write"],
        token,
      };
      const url = runUrl();
      const started = Date.now();
      const result = await checkDeployment(
        apiActor,
        { environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: url, pipelineStep: "" },
        { timeoutMs: 300 },
      );
      expect(Date.now() - started).toBeLessThan(4000);
      expect(result.ok && result.value).toMatchObject({ decision: "deny", allowed: false, decisionId: null });
      expect(result.ok && result.value.reasons.map((r) => r.code)).toEqual(["gate_error"]);
      await holder.query("ROLLBACK");
      const events = await testDb().auditEvent.findMany({ where: { action: "deployment.gate_denied" }, select: { after: true } });
      expect(events.some((e) => (e.after as { pipelineRunUrl?: string }).pipelineRunUrl === url)).toBe(true);
    } finally {
      await holder.end();
    }
  });

  it("refuses hostile bodies with a 4xx naming the field, never a 500", async () => {
    const c = await scheduledChange();
    const good = { environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: runUrl() };
    const cases: [unknown, string][] = [
      [{ ...good, digests: [c.digest.toUpperCase()] }, "digests.0"],
      [{ ...good, digests: ["sha256:abc"] }, "digests.0"],
      [{ ...good, digests: ["md5:" + "a".repeat(32)] }, "digests.0"],
      [{ ...good, digests: Array.from({ length: 51 }, (_, i) => digestOf(i.toString(16).slice(-1))) }, "digests"],
      [{ ...good, digests: [] }, "digests"],
      [{ ...good, cis: Array.from({ length: 21 }, (_, i) => `ci-${i}`) }, "cis"],
      [{ ...good, cis: ["shop\u0000api"] }, "cis.0"],
      [{ ...good, pipelineRunUrl: "javascript:alert(1)" }, "pipelineRunUrl"],
      [{ ...good, pipelineRunUrl: `https://x.test/${"a".repeat(2100)}` }, "pipelineRunUrl"],
      [{ ...good, environment: "Production; DROP TABLE" }, "environment"],
      [{ ...good, changeNumber: -1 }, "changeNumber"],
      [{ ...good, changeNumber: "CHG-1 OR 1=1" }, "changeNumber"],
      [{ ...good, approved: true }, "form"],
    ];
    for (const [body, field] of cases) {
      const response = await gate(body);
      const text = await response.text();
      expect(response.status, `${JSON.stringify(body).slice(0, 80)} ${text}`).toBe(422);
      expect(Object.keys(JSON.parse(text).errors ?? {}), text).toContain(field);
    }
  });

  it("refuses a token without the scope, and an owner who neither implements nor manages changes", async () => {
    const c = await scheduledChange();
    const body = { environment: "production", cis: [c.ci.name], digests: [c.digest], pipelineRunUrl: runUrl() };
    const scoped = await gate(body, readOnly);
    expect(scoped.status).toBe(403);
    expect((await scoped.json()).code).toBe("insufficient_scope");
    const requesterOnly = await gate(body, personal);
    expect(requesterOnly.status).toBe(403);
    expect((await requesterOnly.json()).code).toBe("refused");
  });
});

describe("POST /api/v1/deployments", () => {
  async function recorded(response: Response) {
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return deploymentSchema.parse(JSON.parse(text));
  }

  it("records an approved deployment as authorized, once per run and step, and moves its status on", async () => {
    const c = await scheduledChange();
    const body = {
      environment: "production",
      ci: c.ci.name,
      digests: [c.digest],
      status: "started",
      pipelineRunUrl: runUrl(),
      pipelineStep: "deploy",
    };
    const first = await recorded(await report(body));
    expect(first).toMatchObject({ authorized: true, unauthorizedReason: null, change: { number: c.number }, status: "started" });
    expect((await recorded(await report(body))).id).toBe(first.id);
    const done = await recorded(await report({ ...body, status: "succeeded" }));
    expect(done).toMatchObject({ id: first.id, status: "succeeded", authorized: true });
    expect(done.finishedAt).not.toBeNull();
    const back = await report({ ...body, status: "started" });
    expect(back.status).toBe(409);
    const swapped = await report({ ...body, digests: [OTHER], status: "succeeded" });
    expect(swapped.status).toBe(409);
    const managerToken = await issueOwnToken(manager.actor, { name: "mgr", scopes: ["deployments:write"] });
    if (!managerToken.ok) throw new Error(managerToken.message);
    const hijack = await report({ ...body, status: "rolled_back" }, managerToken.value.token);
    expect(hijack.status).toBe(409);
    const actions = await testDb().auditEvent.findMany({
      where: { entityId: first.id },
      select: { action: true },
      orderBy: { seq: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual(["deployment.recorded", "deployment.status_reported"]);
    // The change did not allow its pipeline to move it.
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("scheduled");
  });

  it("records a deployment nobody approved as unauthorized, audits it and tells change managers and security reviewers", async () => {
    const c = { ci: await createTestCi(), digest: freshDigest() };
    const body = { environment: "production", ci: c.ci.name, digests: [c.digest], status: "succeeded", pipelineRunUrl: runUrl() };
    const deployment = await recorded(await report(body));
    expect(deployment).toMatchObject({ authorized: false, unauthorizedReason: "no_change", change: null });
    const actions = await testDb().auditEvent.findMany({
      where: { entityId: deployment.id },
      select: { action: true },
      orderBy: { seq: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual(["deployment.recorded", "deployment.unauthorized"]);
    const told = await testDb().notification.findMany({
      where: { kind: "deployment_unauthorized", message: { contains: body.pipelineRunUrl } },
    });
    expect(told.map((n) => n.userId).sort()).toEqual([manager.id, security.id].sort());
    const mails = await testDb().delivery.count({
      where: { kind: "deployment_unauthorized", recipientId: { in: [manager.id, security.id] } },
    });
    expect(mails).toBeGreaterThanOrEqual(2);
    const listed = await callApi(deploymentsRoute.GET, { path: "/deployments?authorized=false&limit=1", token: bot });
    expect(listed.status).toBe(200);
    expect((await listed.json()).items[0].id).toBe(deployment.id);
  });

  it("records an unapproved digest under a matching change as digest_not_approved", async () => {
    const c = await scheduledChange();
    const deployment = await recorded(
      await report({ environment: "production", ci: c.ci.name, digests: [OTHER], status: "started", pipelineRunUrl: runUrl() }),
    );
    expect(deployment).toMatchObject({ authorized: false, unauthorizedReason: "digest_not_approved", change: { number: c.number } });
  });

  it("starts the change and records its outcome where its setting allows and the pipeline implements it", async () => {
    const c = await scheduledChange({ moves: true });
    const body = { environment: "production", ci: c.ci.name, digests: [c.digest], status: "succeeded", pipelineRunUrl: runUrl() };
    await recorded(await report(body));
    const moved = await testDb().changeRequest.findUniqueOrThrow({ where: { id: c.id } });
    expect(moved).toMatchObject({ state: "review", outcome: "successful" });
    const steps = await testDb().auditEvent.findMany({
      where: { changeId: c.id, actorId: botId },
      select: { action: true },
      orderBy: { seq: "asc" },
    });
    expect(steps.map((s) => s.action)).toEqual(["deployment.recorded", "change.implementation_started", "change.outcome_recorded"]);

    const failing = await scheduledChange({ moves: true });
    const url = runUrl();
    const failingBody = { ...body, ci: failing.ci.name, digests: [failing.digest], pipelineRunUrl: url };
    await recorded(await report({ ...failingBody, status: "started" }));
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id: failing.id } })).state).toBe("implementing");
    await recorded(await report({ ...failingBody, status: "rolled_back" }));
    expect(await testDb().changeRequest.findUniqueOrThrow({ where: { id: failing.id } })).toMatchObject({
      state: "review",
      outcome: "rolled_back",
    });
  });

  it("never lets a pipeline that is not the change's implementer move it", async () => {
    const c = await scheduledChange({ moves: true, implementerId: manager.id });
    await recorded(
      await report({ environment: "production", ci: c.ci.name, digests: [c.digest], status: "succeeded", pipelineRunUrl: runUrl() }),
    );
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("scheduled");
    expect(await testDb().auditEvent.count({ where: { changeId: c.id, action: "change.action_refused", actorId: botId } })).toBe(1);
  });

  it("refuses impossible times and hostile bodies with a 4xx", async () => {
    const c = await scheduledChange();
    const good = { environment: "production", ci: c.ci.name, digests: [c.digest], status: "started", pipelineRunUrl: runUrl() };
    const future = await report({ ...good, startedAt: new Date(Date.now() + 3 * HOUR).toISOString() });
    expect(future.status).toBe(422);
    expect((await future.json()).errors).toHaveProperty("startedAt");
    for (const body of [
      { ...good, status: "deployed" },
      { ...good, commitSha: "not-a-sha" },
      { ...good, ci: "x".repeat(201) },
      { ...good, startedAt: "yesterday" },
    ]) {
      const response = await report(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
  });
});

describe("the change's side", () => {
  it("takes the pipeline setting on a draft through the API, as the form does", async () => {
    const own = await issueOwnToken(requester.actor, { name: "writer", scopes: ["changes:write"] });
    if (!own.ok) throw new Error(own.message);
    const response = await callApi(changesRoute.POST, {
      method: "POST",
      token: own.value.token,
      body: { type: "normal", title: "Ship with the pipeline", pipelineMovesChange: true },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await testDb().changeRequest.findUniqueOrThrow({ where: { id } })).pipelineMovesChange).toBe(true);
  });

  it("lists a change's deployments for those who may open it", async () => {
    const c = await scheduledChange();
    await report({ environment: "production", ci: c.ci.name, digests: [c.digest], status: "succeeded", pipelineRunUrl: runUrl() });
    await report({ environment: "production", ci: c.ci.name, digests: [OTHER], status: "started", pipelineRunUrl: runUrl() });
    const change = { id: c.id, requesterId: requester.id, implementerId: botId };
    const listed = await listChangeDeployments(requester.actor, change);
    expect(listed.map((d) => d.authorized)).toEqual([false, true]);
    const stranger = await createTestUser({ roles: ["requester"] });
    expect(await listChangeDeployments(stranger.actor, change)).toEqual([]);
  });
});
