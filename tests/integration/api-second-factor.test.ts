import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { generate } from "otplib";
import * as signOffRoute from "@/app/api/v1/changes/[id]/checklist/[key]/sign-off/route";
import * as votesRoute from "@/app/api/v1/changes/[id]/votes/route";
import { SECOND_FACTOR_HEADER } from "@/lib/domain/step-up";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueOwnToken, issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { saveSecondFactorPolicy } from "@/lib/server/auth/second-factor-policy";
import { callApi } from "../support/api-client";
import { changeAwaitingVotes, enrolTotp } from "../support/approvals";
import { createTestUser, testDb } from "../support/fixtures";

// Approvals through /api/v1 under the second-factor rule (decideApiStepUp): a person's token
// stands in for their password, never for their second factor, so the code comes in the
// X-Second-Factor header and is checked as the page's code is (once, throttled, audited).

type U = Awaited<ReturnType<typeof createTestUser>>;
const T0 = Date.parse("2031-05-05T09:00:10Z");
const seconds = () => Math.floor(Date.now() / 1000);
/** The next 30-second step: a code of the step before is used up once accepted. */
const nextStep = () => vi.setSystemTime(Date.now() + 30_000);

let admin: U, requester: U, manager: U, security: U;

async function tokenOf(user: U): Promise<string> {
  const issued = await issueOwnToken(user.actor, { name: "approvals", scopes: ["changes:read", "changes:write"] });
  if (!issued.ok) throw new Error(issued.message);
  return issued.value.token;
}

const code = (secret: string) => generate({ secret, epoch: seconds() });

function vote(changeId: string, token: string, headers: Record<string, string> = {}) {
  return callApi(votesRoute.POST, {
    method: "POST",
    token,
    params: { id: changeId },
    headers,
    body: { role: "cab_member", decision: "approve", comment: "Looks safe." },
  });
}

async function problem(response: Response, status: number, code: string): Promise<{ detail: string }> {
  const body = (await response.json()) as { code: string; detail: string };
  expect(response.status, body.detail).toBe(status);
  expect(body.code).toBe(code);
  return body;
}

const votesOf = (changeId: string, voterId: string) => testDb().vote.count({ where: { changeId, voterId } });
const eventsOf = (actorId: string, action: string) =>
  testDb().auditEvent.findMany({
    where: { actorId, action },
    orderBy: { seq: "asc" },
    select: { after: true, reason: true, entityId: true },
  });

beforeAll(async () => {
  admin = await createTestUser({ roles: ["admin"] });
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});

afterEach(() => vi.useRealTimers());

describe("approvals through the API under the required policy", () => {
  beforeAll(async () => {
    expect(await saveSecondFactorPolicy(admin.actor, { policy: "required" })).toMatchObject({ ok: true });
  });

  it("refuse an approver's token without the header, with how to enrol and send the code; nothing is written", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const refused = await problem(await vote(changeId, token), 403, "second_factor_required");
    expect(refused.detail).toContain("/account/security");
    expect(refused.detail).toContain(SECOND_FACTOR_HEADER);
    // A code is no help before there is an authenticator app to check it against.
    await problem(await vote(changeId, token, { [SECOND_FACTOR_HEADER]: "123456" }), 403, "second_factor_required");
    expect(await votesOf(changeId, cab.id)).toBe(0);
    expect(await eventsOf(cab.id, "authorization.denied")).toEqual([
      expect.objectContaining({ entityId: "step-up:second-factor-required" }),
      expect.objectContaining({ entityId: "step-up:second-factor-required" }),
    ]);

    // The same for every approving endpoint: a sign-off too.
    const [item] = await testDb().checklistItem.findMany({ where: { changeId, signerRole: "security_reviewer" } });
    if (item) {
      const securityToken = await tokenOf(security);
      const signOff = await callApi(signOffRoute.POST, {
        method: "POST",
        token: securityToken,
        params: { id: changeId, key: item.key },
        body: { evidence: "Checked again." },
      });
      await problem(signOff, 403, "second_factor_required");
    }
  });

  it("refuse a wrong or replayed code, accept a fresh one and record how the actor authenticated", async () => {
    const [first, second] = [
      await changeAwaitingVotes(requester, manager, security),
      await changeAwaitingVotes(requester, manager, security),
    ];
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const { secret } = await enrolTotp(cab);
    nextStep();

    const missing = await problem(await vote(first, token), 403, "second_factor_required");
    expect(missing.detail).toContain(SECOND_FACTOR_HEADER);
    const wrong = await problem(await vote(first, token, { [SECOND_FACTOR_HEADER]: "000000" }), 403, "second_factor_invalid");
    expect(wrong.detail).toContain(SECOND_FACTOR_HEADER);
    expect(await eventsOf(cab.id, "auth.second_factor_failed")).toEqual([expect.objectContaining({ reason: "api step-up" })]);
    expect(await votesOf(first, cab.id)).toBe(0);

    const fresh = await code(secret);
    const done = await vote(first, token, { [SECOND_FACTOR_HEADER]: fresh });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await votesOf(first, cab.id)).toBe(1);
    const [cast] = await eventsOf(cab.id, "change.vote_cast");
    expect(cast?.after).toMatchObject({ authentication: { method: "token+totp", ageSeconds: 0 } });

    // The same code again, within its 30-second step, for another approval: used up.
    await problem(await vote(second, token, { [SECOND_FACTOR_HEADER]: fresh }), 403, "second_factor_invalid");
    expect(await votesOf(second, cab.id)).toBe(0);
    nextStep();
    expect((await vote(second, token, { [SECOND_FACTOR_HEADER]: await code(secret) })).status).toBe(200);
  });

  it("answer a retry with the same Idempotency-Key as the first time, without asking the used code again", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const { secret } = await enrolTotp(cab);
    nextStep();
    const headers = { [SECOND_FACTOR_HEADER]: await code(secret), "idempotency-key": "approve-once-1" };
    expect((await vote(changeId, token, headers)).status).toBe(200);
    const retry = await vote(changeId, token, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await votesOf(changeId, cab.id)).toBe(1);
  });

  it("take a recovery code once", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const { recoveryCodes } = await enrolTotp(cab);
    const recovery = recoveryCodes[0]!;
    expect((await vote(changeId, token, { [SECOND_FACTOR_HEADER]: recovery })).status).toBe(200);
    expect(await eventsOf(cab.id, "auth.recovery_code_used")).toHaveLength(1);
    await problem(
      await vote(await changeAwaitingVotes(requester, manager, security), token, { [SECOND_FACTOR_HEADER]: recovery }),
      403,
      "second_factor_invalid",
    );
  });

  it("lock the codes after repeated wrong ones, as the sign-in does: even the right code waits", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const { secret } = await enrolTotp(cab);
    nextStep();
    const max = Number(process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT);
    for (let i = 0; i < max; i++)
      await problem(await vote(changeId, token, { [SECOND_FACTOR_HEADER]: `00000${i}` }), 403, "second_factor_invalid");
    const locked = await vote(changeId, token, { [SECOND_FACTOR_HEADER]: await code(secret) });
    const body = await problem(locked, 429, "second_factor_locked");
    expect(body.detail).toMatch(/Too many wrong codes/);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await votesOf(changeId, cab.id)).toBe(0);
    expect(await eventsOf(cab.id, "auth.second_factor_failed")).toHaveLength(max);
  });

  it("still refuse a service account's approval as the domain always did", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const created = await createServiceAccount(admin.actor, { name: `Pipeline ${Date.now()}`, roles: ["implementer"] });
    if (!created.ok) throw new Error(created.message);
    const issued = await issueServiceAccountToken(admin.actor, {
      serviceAccountId: created.value.id,
      name: "ci",
      scopes: ["changes:read", "changes:write"],
    });
    if (!issued.ok) throw new Error(issued.message);
    await problem(await vote(changeId, issued.value.token), 403, "refused");
  });
});

describe("approvals through the API with the policy off", () => {
  beforeAll(async () => {
    expect(await saveSecondFactorPolicy(admin.actor, { policy: "off" })).toMatchObject({ ok: true });
  });

  it("take the token alone from a user with no authenticator app, and record it", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    expect((await vote(changeId, await tokenOf(cab))).status).toBe(200);
    const [cast] = await eventsOf(cab.id, "change.vote_cast");
    expect(cast?.after).toMatchObject({ authentication: { method: "token", ageSeconds: 0 } });
  });

  it("still ask a user with an authenticator app for its code", async () => {
    const changeId = await changeAwaitingVotes(requester, manager, security);
    const cab = await createTestUser({ roles: ["cab_member"] });
    const token = await tokenOf(cab);
    const { secret } = await enrolTotp(cab);
    nextStep();
    await problem(await vote(changeId, token), 403, "second_factor_required");
    expect((await vote(changeId, token, { [SECOND_FACTOR_HEADER]: await code(secret) })).status).toBe(200);
  });
});
