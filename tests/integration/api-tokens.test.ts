import { beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { newToken } from "@/lib/domain/api-token";
import { authenticateBearer } from "@/lib/server/api/authenticate-bearer";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueOwnToken, issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { revokeToken } from "@/lib/server/api-tokens/revoke-token";
import { setServiceAccountActive } from "@/lib/server/api-tokens/set-service-account-active";
import { authenticate } from "@/lib/server/auth/authenticate";
import { castVote } from "@/lib/server/changes/cast-vote";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { createFreeze } from "@/lib/server/schedule/save-freeze";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { resetPassword } from "@/lib/server/users/set-password";
import { callApi } from "../support/api-client";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// The Bearer gate against an attacker: every way a token can be wrong is refused with a stable
// code, and every refused use of a real token is in the audit log.
type U = Awaited<ReturnType<typeof createTestUser>>;
let admin: U, person: U;
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  person = await createTestUser({ roles: ["requester", "cab_member"] });
});

// Through callApi: each response is checked against the OpenAPI document too.
const call = (authorization?: string, extra: Record<string, string> = {}) =>
  callApi(me, { path: "/me", headers: { ...(authorization ? { authorization } : {}), ...extra } });

async function issue(owner: U, scopes = ["changes:read"], expiresInDays = 90) {
  const issued = await issueOwnToken(owner.actor, { name: "CI pipeline", scopes, expiresInDays });
  if (!issued.ok) throw new Error(issued.message);
  return issued.value;
}

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await response.json();
  expect(body).toMatchObject({ type: "about:blank", status, code, detail: expect.any(String) });
  return body;
}

const denials = (publicId: string) =>
  testDb().auditEvent.findMany({
    where: { action: "authorization.denied", after: { path: ["token"], equals: publicId } },
    orderBy: { seq: "asc" },
  });

describe("a personal access token", () => {
  it("answers /api/v1/me with its owner, and is stored only as a hash", async () => {
    const { token, publicId, id, expiresAt } = await issue(person, ["changes:read", "audit:read"]);
    const response = await call(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: person.id,
      kind: "user",
      name: person.name,
      email: person.email,
      roles: expect.arrayContaining(["requester", "cab_member"]),
      scopes: ["changes:read", "audit:read"],
      token: { id, publicId, expiresAt: expiresAt.toISOString() },
    });
    const row = await testDb().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token.slice(17));
    expect(row.lastUsedAt).not.toBeNull();
    const events = await testDb().auditEvent.findMany({ where: { entityId: id } });
    expect(events.map((e) => e.action)).toEqual(["api_token.issued"]);
    expect(JSON.stringify(events.map((e) => [e.hashedContent, e.after]))).not.toContain(token.slice(17));
  });

  it("defaults to 90 days and refuses more than a year", async () => {
    const issued = await issueOwnToken(person.actor, { name: "x", scopes: ["changes:read"] });
    expect(issued.ok && Math.round((issued.value.expiresAt.getTime() - Date.now()) / DAY)).toBe(90);
    expect(await issueOwnToken(person.actor, { name: "x", scopes: ["changes:read"], expiresInDays: 366 })).toMatchObject({
      ok: false,
      fieldErrors: { expiresInDays: expect.stringMatching(/at most 365 days/) },
    });
    expect(await issueOwnToken(null, { name: "x", scopes: ["changes:read"] })).toMatchObject({ ok: false });
  });
});

describe("refuses", () => {
  it("no header, a session cookie alone, another scheme and a malformed or forged token, unaudited", async () => {
    const { token } = await issue(person);
    await expectProblem(await call(), 401, "token_missing");
    await expectProblem(await call(undefined, { cookie: `next-auth.session-token=${token}` }), 401, "token_missing");
    await expectProblem(await call(`Basic ${btoa("a:b")}`), 401, "token_malformed");
    await expectProblem(await call(`Bearer ${token.replace("ccp_", "ghp_")}`), 401, "token_malformed");
    await expectProblem(await call(`Bearer ${token}x`), 401, "token_malformed");
    const unknown = newToken();
    await expectProblem(await call(`Bearer ${unknown.token}`), 401, "token_invalid");
    expect(await denials(unknown.publicId)).toEqual([]);
  });

  it("the right public id with a wrong secret, as an unknown token reads, and audits it", async () => {
    const { token, publicId } = await issue(person);
    const forged = `ccp_${publicId}_${newToken().token.slice(17)}`;
    const response = await call(`Bearer ${forged}`);
    const body = await expectProblem(response, 401, "token_invalid");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm=.*error="invalid_token"/);
    expect(body.detail).toBe("The API token is not valid.");
    expect(await denials(publicId)).toMatchObject([{ actorId: null, entityId: "api:GET /api/v1/me", after: { code: "token_invalid" } }]);
    expect((await call(`Bearer ${token}`)).status).toBe(200);
  });

  it("an expired token", async () => {
    const { token, publicId, id } = await issue(person);
    await testDb().apiToken.update({
      where: { id },
      data: { createdAt: new Date(Date.now() - 2 * DAY), expiresAt: new Date(Date.now() - 1000) },
    });
    await expectProblem(await call(`Bearer ${token}`), 401, "token_expired");
    expect(await denials(publicId)).toMatchObject([{ actorId: person.id, after: { code: "token_expired" } }]);
  });

  it("a revoked token at its next request; only its owner or an admin may revoke it", async () => {
    const { token, publicId, id } = await issue(person);
    const stranger = await createTestUser({ roles: ["requester"] });
    expect(await revokeToken(stranger.actor, { tokenId: id })).toMatchObject({ ok: false });
    expect((await call(`Bearer ${token}`)).status).toBe(200);
    expect(await revokeToken(person.actor, { tokenId: id })).toMatchObject({ ok: true });
    await expectProblem(await call(`Bearer ${token}`), 401, "token_revoked");
    expect(await denials(publicId)).toMatchObject([{ actorId: person.id, after: { code: "token_revoked" } }]);
    const events = await testDb().auditEvent.findMany({ where: { entityId: id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["api_token.issued", person.id],
      ["api_token.revoked", person.id],
    ]);
  });

  it("a token of a deactivated user, and works again on reactivation", async () => {
    const owner = await createTestUser({ roles: ["requester"] });
    const { token, publicId } = await issue(owner);
    expect(await setUserActive(admin.actor, { userId: owner.id, active: false })).toMatchObject({ ok: true });
    await expectProblem(await call(`Bearer ${token}`), 401, "account_deactivated");
    expect(await denials(publicId)).toMatchObject([{ actorId: owner.id, after: { code: "account_deactivated" } }]);
    expect(await setUserActive(admin.actor, { userId: owner.id, active: true })).toMatchObject({ ok: true });
    expect((await call(`Bearer ${token}`)).status).toBe(200);
  });

  it("a token of a user whose password an admin reset", async () => {
    const owner = await createTestUser({ roles: ["requester"] });
    const { token } = await issue(owner);
    expect(await resetPassword(admin.actor, { userId: owner.id, temporaryPassword: "temporary-password-1" })).toMatchObject({ ok: true });
    await expectProblem(await call(`Bearer ${token}`), 403, "password_change_required");
  });

  it("a scope the token does not hold, naming it", async () => {
    const { token, publicId } = await issue(person, ["changes:read"]);
    const request = new Request("http://portal.test/api/v1/audit", { headers: { authorization: `Bearer ${token}` } });
    const result = await authenticateBearer(request, { scope: "audit:read", attempted: "GET /api/v1/audit" });
    expect(result).toMatchObject({ ok: false, refusal: { status: 403, code: "insufficient_scope" } });
    expect(!result.ok && result.refusal.headers["WWW-Authenticate"]).toMatch(/error="insufficient_scope", scope="audit:read"/);
    expect(await denials(publicId)).toMatchObject([{ actorId: person.id, entityId: "api:GET /api/v1/audit" }]);
    const allowed = await authenticateBearer(request, { scope: "changes:read", attempted: "GET /api/v1/changes" });
    expect(allowed).toMatchObject({ ok: true, actor: { id: person.id } });
  });
});

it("acts with the owner's roles as they are at each request", async () => {
  const owner = await createTestUser({ roles: ["requester", "cab_member"] });
  const { token } = await issue(owner);
  expect((await (await call(`Bearer ${token}`)).json()).roles.sort()).toEqual(["cab_member", "requester"]);
  expect(await changeUserRole(admin.actor, { userId: owner.id, role: "cab_member", grant: false })).toMatchObject({ ok: true });
  expect((await (await call(`Bearer ${token}`)).json()).roles).toEqual(["requester"]);
});

describe("a service account", () => {
  it("is created and given tokens by an admin only", async () => {
    expect(await createServiceAccount(person.actor, { name: "Bot", roles: ["requester"] })).toMatchObject({
      ok: false,
      message: "Only an admin can manage users.",
    });
    expect(await createServiceAccount(admin.actor, { name: "Bot", roles: ["admin"] })).toMatchObject({ ok: false });
    const created = await createServiceAccount(admin.actor, { name: "Bot", roles: ["requester"] });
    if (!created.ok) throw new Error(created.message);
    const serviceAccountId = created.value.id;
    expect(await issueServiceAccountToken(person.actor, { serviceAccountId, name: "t", scopes: ["changes:read"] })).toMatchObject({
      ok: false,
    });
    // A person's id is not a service account's.
    expect(await issueServiceAccountToken(admin.actor, { serviceAccountId: person.id, name: "t", scopes: ["changes:read"] })).toMatchObject(
      {
        ok: false,
        message: "That service account no longer exists.",
      },
    );
    const issued = await issueServiceAccountToken(admin.actor, { serviceAccountId, name: "t", scopes: ["changes:read"] });
    if (!issued.ok) throw new Error(issued.message);
    expect(await (await call(`Bearer ${issued.value.token}`)).json()).toMatchObject({
      id: serviceAccountId,
      kind: "service_account",
      roles: ["requester"],
    });

    // It cannot sign in, be given a password, or be granted an approving role.
    const account = await testDb().user.findUniqueOrThrow({ where: { id: serviceAccountId } });
    expect(await authenticate({ email: account.email, password: "anything at all 1" }, "10.0.0.1")).toMatchObject({ ok: false });
    expect(await resetPassword(admin.actor, { userId: serviceAccountId, temporaryPassword: "temporary-password-1" })).toMatchObject({
      ok: false,
    });
    expect(await changeUserRole(admin.actor, { userId: serviceAccountId, role: "cab_member", grant: true })).toMatchObject({
      ok: false,
      message: "A service account may hold only the requester, implementer and auditor roles.",
    });

    // Deactivated: its tokens are refused at the next request.
    expect(await setServiceAccountActive(admin.actor, { serviceAccountId, active: false })).toMatchObject({ ok: true });
    await expectProblem(await call(`Bearer ${issued.value.token}`), 401, "account_deactivated");
  });

  it("never votes, signs off, waives or approves a freeze exception, even holding every approving role", async () => {
    const requester = await createTestUser({ roles: ["requester"] });
    const manager = await createTestUser({ roles: ["change_manager"] });
    const security = await createTestUser({ roles: ["security_reviewer"] });
    const created = await createServiceAccount(admin.actor, { name: "Approver bot", roles: ["requester"] });
    if (!created.ok) throw new Error(created.message);
    // Written past the use cases, as a database edit would: the rule must hold on its own.
    await testDb().userRole.createMany({
      data: (["change_manager", "cab_member", "security_reviewer"] as const).map((role) => ({ userId: created.value.id, role })),
    });
    const issued = await issueServiceAccountToken(admin.actor, {
      serviceAccountId: created.value.id,
      name: "t",
      scopes: ["changes:write"],
    });
    if (!issued.ok) throw new Error(issued.message);
    const auth = await authenticateBearer(
      new Request("http://portal.test/api/v1/x", { headers: { authorization: `Bearer ${issued.value.token}` } }),
      { scope: "changes:write", attempted: "POST /api/v1/x" },
    );
    if (!auth.ok) throw new Error(auth.refusal.detail);
    const bot = auth.actor;
    expect(bot.roles).toEqual(expect.arrayContaining(["change_manager", "cab_member", "security_reviewer"]));

    const start = new Date(Date.now() + 300 * DAY);
    expect(
      await createFreeze(admin.actor, {
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * DAY).toISOString(),
        reason: "Peak",
        scope: "all",
      }),
    ).toMatchObject({ ok: true });
    const ci = await createTestCi({ criticality: 3, exposure: "internet_facing" });
    const draft = await createChangeDraft(
      requester.actor,
      completeDraft([ci.id], {
        touchesAuth: true,
        plannedStart: new Date(start.getTime() + 3_600_000).toISOString(),
        plannedEnd: new Date(start.getTime() + 7_200_000).toISOString(),
      }),
    );
    if (!draft.ok) throw new Error(draft.message);
    const changeId = draft.value.id;
    expect(await performChangeAction(requester.actor, { changeId, action: "submit" })).toMatchObject({ ok: true });
    expect(await performChangeAction(manager.actor, { changeId, action: "start_assessment" })).toMatchObject({ ok: true });

    const refusal = (doing: string) => ({ ok: false, message: `A service account cannot ${doing}; only a person can.` });
    expect(await signOffItem(bot, { changeId, key: "sast_dast", evidence: "Reports attached." })).toEqual(
      refusal("sign off a checklist item"),
    );
    expect(await waiveItem(bot, { changeId, key: "sast_dast", compensatingControl: "WAF rule.", residualRisk: "Low." })).toEqual(
      refusal("waive a checklist item"),
    );
    for (const item of await testDb().checklistItem.findMany({ where: { changeId, status: "pending", preImplementation: false } })) {
      const signer = item.signerRole === "security_reviewer" ? security : manager;
      expect(await signOffItem(signer.actor, { changeId, key: item.key, evidence: "Checked." })).toMatchObject({ ok: true });
    }
    expect(await performChangeAction(manager.actor, { changeId, action: "request_authorization" })).toMatchObject({ ok: true });
    expect(await castVote(bot, { changeId, role: "cab_member", decision: "approve" })).toEqual(refusal("vote on a change"));
    expect(await requestFreezeException(requester.actor, { changeId, reason: "The regulator's deadline." })).toMatchObject({ ok: true });
    expect(await approveFreezeException(bot, { changeId, role: "change_manager" })).toEqual(refusal("approve a freeze exception"));

    expect(await testDb().vote.count({ where: { changeId } })).toBe(0);
    expect(await testDb().freezeException.findUniqueOrThrow({ where: { changeId } })).toMatchObject({ managerApproverId: null });
    const refused = await testDb().auditEvent.findMany({ where: { changeId, action: "change.action_refused", actorId: bot.id } });
    expect(refused).toHaveLength(4);
  });
});
