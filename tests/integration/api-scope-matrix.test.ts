import { beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES, type ApiScope } from "@/lib/domain/api-scopes";
import { ROLES, type Role } from "@/lib/domain/roles";
import { apiRoute } from "@/lib/server/api/api-route";
import type { Endpoint } from "@/lib/server/api/endpoint";
import { ENDPOINTS } from "@/lib/server/api/endpoints";
import { parseToken } from "@/lib/domain/api-token";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { proposeTemplate } from "@/lib/server/templates/propose-template";
import { callApi } from "../support/api-client";
import { createTestCi, createTestUser, testDb } from "../support/fixtures";

// The scope × endpoint × role matrix, over every declared /api/v1 endpoint (ENDPOINTS), so an
// endpoint added later is checked too: the token is checked before anything else (no token,
// a revoked, expired or deactivated owner's token, a token without the endpoint's scope), and
// each read answers each role as its page does, per the table below.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every endpoint, whatever its types
type AnyEndpoint = Endpoint<any, any>;
type Ids = { change: string; ci: string; template: string };

const key = (e: AnyEndpoint) => `${e.method} ${e.path}`;
const ANY_ID = "00000000-0000-4000-8000-000000000000";
const EVERYONE: readonly Role[] = ROLES;

/**
 * Who a read lets through, and how it refuses the others: 403 for a role the page refuses, 404
 * for a change the role may not open (it reads as a missing one). `query` makes a valid call.
 * Every GET endpoint needs a row: a new read states its policy here.
 */
const READS: Record<string, { allowed: readonly Role[]; refusal: 403 | 404; query?: (ids: Ids) => string }> = {
  "GET /me": { allowed: EVERYONE, refusal: 403 },
  "GET /changes": { allowed: EVERYONE, refusal: 403 },
  // The change is the requester's own; admins oversee configuration, not changes.
  "GET /changes/{id}": {
    allowed: ["requester", "change_manager", "cab_member", "security_reviewer", "implementer", "auditor"],
    refusal: 404,
  },
  // Comments are read with the change: whoever may open it.
  "GET /changes/{id}/comments": {
    allowed: ["requester", "change_manager", "cab_member", "security_reviewer", "implementer", "auditor"],
    refusal: 404,
  },
  "GET /cis": { allowed: ["admin"], refusal: 403 },
  "GET /cis/{id}": { allowed: ["admin"], refusal: 403 },
  "GET /templates": { allowed: ["change_manager", "admin"], refusal: 403 },
  "GET /templates/{id}": { allowed: ["change_manager", "admin"], refusal: 403 },
  // The calendar is everyone's: so are its freezes and the conflicts of a window.
  "GET /schedule/conflicts": {
    allowed: EVERYONE,
    refusal: 403,
    query: (ids) => `?ci=${ids.ci}&start=2031-03-04T02:00:00Z&end=2031-03-04T03:00:00Z`,
  },
  "GET /freezes": { allowed: EVERYONE, refusal: 403 },
  "GET /audit/events": { allowed: ["auditor", "admin"], refusal: 403, query: () => "?limit=1" },
  // Deployments are read by those who see every change.
  "GET /deployments": {
    allowed: ["change_manager", "cab_member", "security_reviewer", "implementer", "auditor"],
    refusal: 403,
    query: () => "?limit=1",
  },
};

/** The path's parameters as ids of the right kind (any well-formed id when `ids` is not given). */
function call(endpoint: AnyEndpoint, ids?: Ids) {
  const params: Record<string, string> = {};
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = !ids ? ANY_ID : endpoint.path.startsWith("/changes") ? ids.change : endpoint.path.startsWith("/cis") ? ids.ci : ids.template;
    params[name] = id;
    return id;
  });
  const query = ids ? (READS[key(endpoint)]?.query?.(ids) ?? "") : "";
  const body = endpoint.method === "GET" ? undefined : {};
  return { method: endpoint.method, path: `${path}${query}`, params, body };
}

type User = Awaited<ReturnType<typeof createTestUser>>;

async function issue(user: User, scopes: readonly string[]) {
  const issued = await issueOwnToken(user.actor, { name: "matrix", scopes });
  if (!issued.ok) throw new Error(issued.message);
  return issued.value.token;
}

const byRole = new Map<Role, string>();
const lacking = new Map<ApiScope, string>();
let revoked: string, expired: string, deactivated: string;
let ids: Ids;

beforeAll(async () => {
  const users = new Map<Role, User>();
  for (const role of ROLES) {
    const user = await createTestUser({ roles: [role] });
    users.set(role, user);
    byRole.set(role, await issue(user, API_SCOPES));
  }
  const admin = users.get("admin")!;
  for (const scope of API_SCOPES)
    lacking.set(
      scope,
      await issue(
        admin,
        API_SCOPES.filter((s) => s !== scope),
      ),
    );
  revoked = await issue(admin, API_SCOPES);
  await testDb().apiToken.updateMany({ where: { publicId: parseToken(revoked)!.publicId }, data: { revokedAt: new Date() } });
  expired = await issue(admin, API_SCOPES);
  await testDb().apiToken.updateMany({
    where: { publicId: parseToken(expired)!.publicId },
    data: { createdAt: new Date(Date.now() - 2 * 86_400_000), expiresAt: new Date(Date.now() - 1000) },
  });
  const leaver = await createTestUser({ roles: ["admin"] });
  deactivated = await issue(leaver, API_SCOPES);
  await testDb().user.update({ where: { id: leaver.id }, data: { active: false } });

  const ci = await createTestCi();
  const change = await testDb().changeRequest.create({
    data: { type: "normal", state: "assessment", title: "Matrix change", requesterId: users.get("requester")!.id },
    select: { id: true },
  });
  const template = await proposeTemplate(admin.actor, {
    title: "Matrix template",
    description: "d",
    implementationPlan: "i",
    backoutPlan: "b",
    testPlan: "t",
    riskCeiling: "low",
    ciIds: [ci.id],
  });
  if (!template.ok) throw new Error(template.message);
  ids = { change: change.id, ci: ci.id, template: template.value.id };
});

async function expectCode(response: Response, status: number, code: string, what: string) {
  const body = (await response.json()) as { code?: string };
  expect({ status: response.status, code: body.code }, what).toEqual({ status, code });
}

describe.each(ENDPOINTS.map((e) => [key(e), e] as const))("%s", (name, endpoint) => {
  const handler = apiRoute(endpoint);

  it("refuses a missing, revoked, expired or deactivated owner's token with 401", async () => {
    await expectCode(await callApi(handler, call(endpoint)), 401, "token_missing", `${name} without a token`);
    await expectCode(await callApi(handler, { ...call(endpoint), token: revoked }), 401, "token_revoked", name);
    await expectCode(await callApi(handler, { ...call(endpoint), token: expired }), 401, "token_expired", name);
    await expectCode(await callApi(handler, { ...call(endpoint), token: deactivated }), 401, "account_deactivated", name);
  });

  it.runIf(endpoint.scope !== null)("refuses a token without its scope with 403 insufficient_scope", async () => {
    const response = await callApi(handler, { ...call(endpoint), token: lacking.get(endpoint.scope!)! });
    expect(response.headers.get("www-authenticate")).toContain(`scope="${endpoint.scope}"`);
    await expectCode(response, 403, "insufficient_scope", name);
  });

  it.runIf(endpoint.method === "GET")("answers each role as its page does", async () => {
    const row = READS[name];
    expect(row, `${name} needs a row in READS: which roles it lets through`).toBeDefined();
    for (const role of ROLES) {
      const response = await callApi(handler, { ...call(endpoint, ids), token: byRole.get(role)! });
      if (row!.allowed.includes(role)) {
        expect(response.status, `${name} as ${role}: ${await response.clone().text()}`).toBe(200);
        await response.body?.cancel();
      } else {
        await expectCode(response, row!.refusal, row!.refusal === 404 ? "not_found" : "refused", `${name} as ${role}`);
      }
    }
  });
});

it("has a row for no endpoint that is not declared", () => {
  const declared = new Set(ENDPOINTS.map(key));
  expect(Object.keys(READS).filter((k) => !declared.has(k))).toEqual([]);
});
