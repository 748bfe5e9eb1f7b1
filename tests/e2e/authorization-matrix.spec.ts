// The authorization matrix (issue 28, item 11): every server action of the build and every route
// handler of the source tree, called over HTTP by each role, on the caller's own change and on
// someone else's, from a normal session, a temporary-password session, a deactivated user's
// session and no session, compared with the one policy table (support/authorization-policy.ts).
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./support/test";
import pg from "pg";
import { ROLES, type Role } from "../../lib/domain/roles";
import { ActionClient, readActionManifest, type ActionFields, type ActionResponse } from "../support/action-client";
import { AUTHORIZATION_POLICY, AUTHORIZATION_REFUSAL, type Policy } from "./support/authorization-policy";
import { E2E_PORTS } from "../support/e2e-ports";
import { createUser } from "./support/database";

// ---- What the code offers: actions from the build's manifest, routes from the source tree. ----

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

/** "METHOD /path" for each HTTP method a route.ts exports, route groups left out of the path. */
function listRoutes(): string[] {
  return routeFiles("app").flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const urlPath =
      "/" +
      path
        .dirname(path.relative("app", file))
        .split(path.sep)
        .filter((s) => !/^\(.*\)$/.test(s))
        .join("/");
    const exported = new Set<string>();
    for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+([A-Z]+)\b/g)) exported.add(m[1]!);
    for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1]!.split(","))
        exported.add(
          part
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        );
    }
    return HTTP_METHODS.filter((method) => exported.has(method)).map((method) => `${method} ${urlPath}`);
  });
}

function listActionKeys(): string[] {
  return [...readActionManifest().keys()];
}

test("the policy table names every server action and route handler, and nothing else", () => {
  const inCode = new Set([...listActionKeys(), ...listRoutes()]);
  const inPolicy = new Set(Object.keys(AUTHORIZATION_POLICY));
  const missing = [...inCode].filter((key) => !inPolicy.has(key));
  const stale = [...inPolicy].filter((key) => !inCode.has(key));
  expect(missing, "actions or routes without an entry in tests/e2e/support/authorization-policy.ts").toEqual([]);
  expect(stale, "policy entries for actions or routes that no longer exist").toEqual([]);
  expect(inCode.size).toBeGreaterThan(30);
});

// ---- The people and changes of the matrix. ----

type SessionKind = "normal" | "temporary-password" | "deactivated";
type Relation = "own" | "other";
type Change = { id: string; requesterId: string; draftId: string };
type Caller = { role: Role; kind: SessionKind; userId: string; cookie: string; own: Change };

const FILES = new Set<Role>(["requester", "change_manager"]);
const PASSWORD = "e2e-password-1234";
const TEMPORARY = "matrix-temporary-1234";
const CONCURRENCY = 12;

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

type FormResult = { ok?: boolean; message?: string; fieldErrors?: Record<string, string> };

function formResult(response: ActionResponse): FormResult | null {
  const r = response.result;
  return r && typeof r === "object" && !Array.isArray(r) ? (r as FormResult) : null;
}

// ---- What one call returned, in the matrix's words. ----

type Outcome = { through: boolean; signedOut: boolean; message: string; status: number };

function outcomeOfAction(response: ActionResponse): Outcome {
  const status = response.status;
  if (response.redirect) return { through: true, signedOut: false, message: `redirect ${response.redirect}`, status };
  if (Array.isArray(response.result)) {
    // A search refuses, signed out or not, with no choices; it only counts as through with some.
    return {
      through: response.result.length > 0,
      signedOut: response.result.length === 0,
      message: `${response.result.length} results`,
      status,
    };
  }
  const form = formResult(response);
  if (!form) return { through: false, signedOut: false, message: `no result (HTTP ${status})`, status };
  const message = form.message ?? "";
  return { through: form.ok === true, signedOut: /Sign in again/.test(message), message, status };
}

test("every action and route × role × own/other change × session kind matches the policy", async () => {
  test.setTimeout(480_000);
  // Both app instances share the load, as behind the load balancer; a session is good on either.
  const clients = E2E_PORTS.map((port) => new ActionClient(`http://localhost:${port}`));
  const client = clients[0]!;
  const startedAt = Date.now();
  const db = new pg.Pool({ connectionString: process.env.E2E_APP_URL, max: 4 });
  try {
    const userId = async (email: string) => (await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email])).rows[0]!.id;
    const refusalsOf = async (id: string) => {
      const { rows } = await db.query<{ denied: string; refused: string }>(
        // Not the pages' denials ("page:..."): the page an action is posted to may record its own.
        "SELECT count(*) FILTER (WHERE action = 'authorization.denied' AND entity_id NOT LIKE 'page:%') AS denied, count(*) FILTER (WHERE action = 'change.action_refused') AS refused FROM audit_events WHERE actor_id = $1",
        [id],
      );
      return { denied: Number(rows[0]!.denied), refused: Number(rows[0]!.refused) };
    };
    const eventsOf = async (id: string, besidesDenials = false) =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM audit_events WHERE actor_id = $1${besidesDenials ? " AND action <> 'authorization.denied'" : ""}`,
            [id],
          )
        ).rows[0]!.n,
      );

    // Helpers of our own, so no demo account's queue or history changes.
    const [admin, manager, security] = await Promise.all([
      createUser(["admin"]),
      createUser(["change_manager"]),
      createUser(["security_reviewer"]),
    ]);
    const [adminCookie, managerCookie, securityCookie] = (await Promise.all(
      [admin, manager, security].map((u) => client.signIn(u.email, u.password)),
    )) as [string, string, string];
    const ci = (
      await db.query<{ id: string }>(
        "SELECT id FROM configuration_items WHERE environment = 'production' AND exposure = 'internal' ORDER BY name LIMIT 1",
      )
    ).rows[0]!.id;

    const ok = (what: string, response: ActionResponse) => {
      const form = formResult(response);
      if (!response.redirect && !form?.ok)
        throw new Error(`${what}: ${form?.message ?? `HTTP ${response.status}`} ${JSON.stringify(form?.fieldErrors ?? {})}`);
    };
    const start = new Date(Date.now() + 75 * 86_400_000);
    start.setUTCHours(9, 0, 0, 0);
    const end = new Date(start.getTime() + 3_600_000);
    const changeFields = (title: string): ActionFields => ({
      type: "normal",
      title,
      description: `${title}, as planned.`,
      justification: "Keeps the service supported.",
      implementationPlan: "Apply, then verify.",
      backoutPlan: "Restore the previous release.",
      backoutTested: "on",
      testPlan: "Health checks and a smoke test.",
      plannedStart: start.toISOString().slice(0, 16),
      plannedEnd: end.toISOString().slice(0, 16),
      ciIds: [ci],
    });
    const onChange = (changeId: string) => ({ path: `/changes/${changeId}` });

    const fileDraft = async (client: ActionClient, cookie: string, title: string) => {
      const created = await client.callAction(cookie, "app/(portal)/changes/actions.ts", "createChangeAction", changeFields(title), {
        path: "/changes/new",
      });
      ok(`file ${title}`, created);
      return /\/changes\/([0-9a-f-]{36})/.exec(created.redirect ?? "")![1]!;
    };

    /** Files a normal change as `cookie` and takes it to authorization (CAB votes open) with the helpers; and a draft beside it. */
    async function fileChange(client: ActionClient, cookie: string, requesterId: string, title: string): Promise<Change> {
      const id = await fileDraft(client, cookie, title);
      const draftId = await fileDraft(client, cookie, `${title} (draft)`);
      const step = async (who: string, action: string) =>
        ok(
          `${action} ${title}`,
          await client.callAction(
            who,
            "app/(portal)/changes/[id]/actions.ts",
            "changeActionAction",
            { changeId: id, action },
            onChange(id),
          ),
        );
      await step(cookie, "submit");
      await step(managerCookie, "start_assessment");
      ok(
        `sign ${title}`,
        await client.callAction(
          securityCookie,
          "app/(portal)/changes/[id]/actions.ts",
          "signOffAction",
          { changeId: id, key: "secure_baseline", evidence: "Baseline scan report MX-1." },
          onChange(id),
        ),
      );
      await step(managerCookie, "request_authorization");
      return { id, requesterId, draftId };
    }

    const otherRequester = await createUser(["requester"]);
    const otherChange = await fileChange(
      client,
      await client.signIn(otherRequester.email, otherRequester.password),
      await userId(otherRequester.email),
      "Matrix: someone else's change",
    );

    // One user per role and session kind, each the requester of a change of their own (filed while
    // they could file, as by someone whose role changed since).
    const callers: Caller[] = [];
    const kinds = ["normal", "temporary-password", "deactivated"] as const;
    await pool(
      ROLES.flatMap((role, r) => kinds.map((kind, k) => ({ role, kind, client: clients[(r * kinds.length + k) % clients.length]! }))),
      CONCURRENCY,
      async ({ role, kind, client }) => {
        const user = await createUser(FILES.has(role) ? [role] : [role, "requester"], PASSWORD);
        const id = await userId(user.email);
        let cookie = await client.signIn(user.email, PASSWORD);
        const own = await fileChange(client, cookie, id, `Matrix: ${role} ${kind}'s own change`);
        if (!FILES.has(role)) await db.query("DELETE FROM user_roles WHERE user_id = $1 AND role = 'requester'", [id]);
        if (kind === "temporary-password") {
          ok(
            `reset ${user.email}`,
            await client.callAction(
              adminCookie,
              "app/(portal)/admin/users/actions.ts",
              "resetPasswordAction",
              { userId: id, temporaryPassword: TEMPORARY },
              { path: `/admin/users/${id}` },
            ),
          );
          cookie = await client.signIn(user.email, TEMPORARY);
        }
        if (kind === "deactivated") {
          ok(
            `deactivate ${user.email}`,
            await client.callAction(
              adminCookie,
              "app/(portal)/admin/users/actions.ts",
              "setActiveAction",
              { userId: id, active: "false" },
              { path: `/admin/users/${id}` },
            ),
          );
        }
        callers.push({ role, kind, userId: id, cookie, own });
      },
    );

    // ---- Plausible fields for each action and route, on a given change. ----
    const some = randomUUID();
    const past = { plannedStart: "2020-01-06T09:00:00.000Z", plannedEnd: "2020-01-06T10:00:00.000Z" };
    type Probe = { form: ActionFields } | { args: unknown[] } | { route: string };
    const PROBES: Record<string, (change: Change) => Probe> = {
      "app/(portal)/changes/actions.ts#createChangeAction": () => ({ form: {} }),
      "app/(portal)/changes/actions.ts#updateChangeAction": (c) => ({
        form: { changeId: c.draftId, version: "__version__", ...changeFields("Matrix: edited") },
      }),
      "app/(portal)/changes/[id]/actions.ts#changeActionAction": (c) => ({ form: { changeId: c.id, action: "reject", reason: "" } }),
      "app/(portal)/changes/[id]/actions.ts#voteAction": (c) => ({
        form: { changeId: c.id, role: "cab_member", decision: "reject", comment: "" },
      }),
      "app/(portal)/cab/actions.ts#queueVoteAction": (c) => ({
        form: { changeId: c.id, role: "cab_member", decision: "reject", comment: "" },
      }),
      "app/(portal)/changes/[id]/actions.ts#signOffAction": (c) => ({
        form: { changeId: c.id, key: "backup_verified", evidence: "Restore test MX-2 passed." },
      }),
      "app/(portal)/changes/[id]/actions.ts#waiveAction": (c) => ({
        form: { changeId: c.id, key: "secure_baseline", compensatingControl: "Network isolation.", residualRisk: "Low." },
      }),
      "app/(portal)/changes/[id]/actions.ts#assignImplementerAction": (c) => ({ form: { changeId: c.id, implementerId: c.requesterId } }),
      "app/(portal)/changes/[id]/actions.ts#commentAction": (c) => ({ form: { changeId: c.id, body: "Authorization matrix probe." } }),
      "app/(portal)/changes/[id]/actions.ts#requestFreezeExceptionAction": (c) => ({ form: { changeId: c.id, reason: "" } }),
      "app/(portal)/changes/[id]/actions.ts#approveFreezeExceptionAction": (c) => ({ form: { changeId: c.id, role: "change_manager" } }),
      "app/(portal)/changes/[id]/actions.ts#rescheduleAction": (c) => ({ form: { changeId: c.id, ...past } }),
      "app/(portal)/admin/cis/actions.ts#createCiAction": () => ({ form: {} }),
      "app/(portal)/admin/cis/actions.ts#updateCiAction": () => ({ form: { id: ci, updatedAt: "" } }),
      "app/(portal)/admin/cis/actions.ts#setCiDependenciesAction": () => ({ form: { id: ci, updatedAt: "", dependsOnIds: [] } }),
      "app/(portal)/admin/cis/actions.ts#searchCisAction": () => ({ args: ["a"] }),
      "app/(portal)/admin/freezes/actions.ts#createFreezeAction": () => ({ form: {} }),
      "app/(portal)/admin/freezes/actions.ts#updateFreezeAction": () => ({ form: { id: some, updatedAt: "" } }),
      "app/(portal)/admin/freezes/actions.ts#deleteFreezeAction": () => ({ form: { id: some } }),
      "app/(portal)/admin/freezes/actions.ts#addMaintenanceWindowAction": () => ({ form: { ciId: ci } }),
      "app/(portal)/admin/freezes/actions.ts#removeMaintenanceWindowAction": () => ({ form: { id: some, ciId: ci } }),
      "app/(portal)/admin/templates/actions.ts#proposeTemplateAction": () => ({ form: {} }),
      "app/(portal)/admin/templates/actions.ts#newTemplateVersionAction": () => ({ form: { baseId: some } }),
      "app/(portal)/admin/templates/actions.ts#approveTemplateAction": () => ({ form: { templateId: some } }),
      "app/(portal)/admin/templates/actions.ts#retireTemplateAction": () => ({ form: { templateId: some } }),
      "app/(portal)/admin/users/actions.ts#createUserAction": () => ({ form: {} }),
      "app/(portal)/admin/users/actions.ts#changeRoleAction": () => ({ form: { userId: some, role: "auditor", grant: "true" } }),
      // No policy field: an admin reaches the use case and is refused the empty choice, the setting stays as it is.
      "app/(portal)/admin/sso/actions.ts#saveSecondFactorPolicyAction": () => ({ form: {} }),
      "app/(portal)/admin/users/actions.ts#setActiveAction": () => ({ form: { userId: some, active: "true" } }),
      "app/(portal)/admin/users/actions.ts#resetPasswordAction": () => ({ form: { userId: some, temporaryPassword: "" } }),
      "app/(portal)/admin/users/actions.ts#endUserSessionsAction": () => ({ form: { userId: some } }),
      "app/(portal)/admin/users/actions.ts#requestRoleAction": () => ({
        form: { userId: some, role: "cab_member", reason: "Matrix probe." },
      }),
      "app/(portal)/admin/users/actions.ts#approveRoleRequestAction": () => ({ form: { requestId: some } }),
      "app/(portal)/admin/users/actions.ts#refuseRoleRequestAction": () => ({ form: { requestId: some, reason: "Matrix probe." } }),
      "app/(portal)/admin/users/actions.ts#withdrawRoleRequestAction": () => ({ form: { requestId: some } }),
      "app/(portal)/audit/actions.ts#searchHistoryCisAction": () => ({ args: ["a"] }),
      "app/(portal)/audit/actions.ts#searchHistoryPeopleAction": () => ({ args: ["a"] }),
      "app/(portal)/audit/verify/actions.ts#takeCheckpointAction": () => ({ form: {} }),
      "app/(portal)/account/tokens/actions.ts#issueTokenAction": () => ({ form: {} }),
      "app/(portal)/account/tokens/actions.ts#revokeTokenAction": () => ({ form: { tokenId: some } }),
      "app/(portal)/admin/service-accounts/actions.ts#createServiceAccountAction": () => ({ form: {} }),
      "app/(portal)/admin/service-accounts/actions.ts#setServiceAccountActiveAction": () => ({
        form: { serviceAccountId: some, active: "true" },
      }),
      "app/(portal)/admin/service-accounts/actions.ts#issueServiceAccountTokenAction": () => ({ form: { serviceAccountId: some } }),
      "app/(portal)/admin/service-accounts/actions.ts#revokeServiceAccountTokenAction": () => ({ form: { tokenId: some } }),
      "app/(portal)/admin/deliveries/actions.ts#retryDeliveryAction": () => ({ form: { deliveryId: some } }),
      "app/(portal)/admin/webhooks/actions.ts#createWebhookAction": () => ({ form: {} }),
      "app/(portal)/admin/webhooks/actions.ts#updateWebhookAction": () => ({ form: { subscriptionId: some } }),
      "app/(portal)/admin/webhooks/actions.ts#rotateWebhookSecretAction": () => ({ form: { subscriptionId: some } }),
      "app/(portal)/admin/webhooks/actions.ts#testWebhookAction": () => ({ form: { subscriptionId: some } }),
      "app/(portal)/admin/webhooks/actions.ts#deleteWebhookAction": () => ({ form: { subscriptionId: some } }),
      "app/(portal)/account/mail/actions.ts#saveMailPreferencesAction": () => ({ form: { enabled: "change_approved" } }),
      "app/(portal)/account/delegation/actions.ts#createDelegationAction": () => ({
        form: { delegateId: some, startsAt: "2030-01-01T09:00", endsAt: "2030-01-02T09:00", reason: "" },
      }),
      "app/(portal)/account/delegation/actions.ts#endDelegationAction": () => ({ form: { id: some } }),
      "app/(portal)/admin/reminders/actions.ts#saveReminderSettingsAction": () => ({ form: { timeZone: "UTC" } }),
      "app/(portal)/admin/scan-policy/actions.ts#saveScanPolicyAction": () => ({ form: { "rules.0.environment": "production" } }),
      "GET /api/v1/me": () => ({ route: "/api/v1/me" }),
      "GET /api/v1/changes": () => ({ route: "/api/v1/changes" }),
      "GET /api/v1/changes/[id]": (c) => ({ route: `/api/v1/changes/${c.id}` }),
      "POST /api/v1/changes": () => ({ route: "/api/v1/changes" }),
      "PATCH /api/v1/changes/[id]": (c) => ({ route: `/api/v1/changes/${c.id}` }),
      "POST /api/v1/changes/[id]/actions/submit": (c) => ({ route: `/api/v1/changes/${c.id}/actions/submit` }),
      "POST /api/v1/changes/[id]/actions/start-assessment": (c) => ({ route: `/api/v1/changes/${c.id}/actions/start-assessment` }),
      "POST /api/v1/changes/[id]/actions/request-authorization": (c) => ({
        route: `/api/v1/changes/${c.id}/actions/request-authorization`,
      }),
      "POST /api/v1/changes/[id]/actions/schedule": (c) => ({ route: `/api/v1/changes/${c.id}/actions/schedule` }),
      "POST /api/v1/changes/[id]/actions/start-implementation": (c) => ({ route: `/api/v1/changes/${c.id}/actions/start-implementation` }),
      "POST /api/v1/changes/[id]/actions/record-outcome": (c) => ({ route: `/api/v1/changes/${c.id}/actions/record-outcome` }),
      "POST /api/v1/changes/[id]/actions/close": (c) => ({ route: `/api/v1/changes/${c.id}/actions/close` }),
      "POST /api/v1/changes/[id]/actions/reject": (c) => ({ route: `/api/v1/changes/${c.id}/actions/reject` }),
      "POST /api/v1/changes/[id]/actions/return-for-rework": (c) => ({ route: `/api/v1/changes/${c.id}/actions/return-for-rework` }),
      "POST /api/v1/changes/[id]/actions/cancel": (c) => ({ route: `/api/v1/changes/${c.id}/actions/cancel` }),
      "POST /api/v1/changes/[id]/actions/withdraw": (c) => ({ route: `/api/v1/changes/${c.id}/actions/withdraw` }),
      "POST /api/v1/changes/[id]/votes": (c) => ({ route: `/api/v1/changes/${c.id}/votes` }),
      "POST /api/v1/changes/[id]/checklist/[key]/sign-off": (c) => ({ route: `/api/v1/changes/${c.id}/checklist/threat_model/sign-off` }),
      "POST /api/v1/changes/[id]/checklist/[key]/waiver": (c) => ({ route: `/api/v1/changes/${c.id}/checklist/threat_model/waiver` }),
      "PUT /api/v1/changes/[id]/implementer": (c) => ({ route: `/api/v1/changes/${c.id}/implementer` }),
      "POST /api/v1/changes/[id]/reschedule": (c) => ({ route: `/api/v1/changes/${c.id}/reschedule` }),
      "POST /api/v1/changes/[id]/freeze-exception": (c) => ({ route: `/api/v1/changes/${c.id}/freeze-exception` }),
      "POST /api/v1/changes/[id]/freeze-exception/approvals": (c) => ({ route: `/api/v1/changes/${c.id}/freeze-exception/approvals` }),
      "GET /api/v1/changes/[id]/comments": (c) => ({ route: `/api/v1/changes/${c.id}/comments` }),
      "POST /api/v1/changes/[id]/comments": (c) => ({ route: `/api/v1/changes/${c.id}/comments` }),
      "GET /api/v1/cis": () => ({ route: "/api/v1/cis" }),
      "POST /api/v1/cis": () => ({ route: "/api/v1/cis" }),
      "GET /api/v1/cis/[id]": () => ({ route: `/api/v1/cis/${ci}` }),
      "PATCH /api/v1/cis/[id]": () => ({ route: `/api/v1/cis/${ci}` }),
      "PUT /api/v1/cis/[id]/dependencies": () => ({ route: `/api/v1/cis/${ci}/dependencies` }),
      "GET /api/v1/templates": () => ({ route: "/api/v1/templates" }),
      "GET /api/v1/templates/[id]": () => ({ route: `/api/v1/templates/${some}` }),
      "GET /api/v1/schedule/conflicts": () => ({
        route: `/api/v1/schedule/conflicts?ci=${ci}&start=2031-01-01T00:00:00Z&end=2031-01-01T01:00:00Z`,
      }),
      "GET /api/v1/freezes": () => ({ route: "/api/v1/freezes" }),
      "POST /api/v1/deployments/check": () => ({ route: "/api/v1/deployments/check" }),
      "POST /api/v1/deployments": () => ({ route: "/api/v1/deployments" }),
      "GET /api/v1/deployments": () => ({ route: "/api/v1/deployments" }),
      "GET /api/v1/audit/events": () => ({ route: "/api/v1/audit/events" }),
      "app/(portal)/notifications/actions.ts#markReadAction": () => ({ form: { all: "1" } }),
      "app/account/password/actions.ts#changePasswordAction": () => ({ form: {} }),
      "app/(portal)/account/sessions/actions.ts#endOwnSessionAction": () => ({ form: { sessionId: some } }),
      "app/(portal)/account/sessions/actions.ts#endOtherSessionsAction": () => ({ form: {} }),
      "app/account/password/actions.ts#signOutEverywhereAction": () => ({ form: {} }),
      "app/account/security/actions.ts#startTotpAction": () => ({ form: {} }),
      "app/account/security/actions.ts#confirmTotpAction": () => ({ form: { code: "000000" } }),
      "app/account/security/actions.ts#disableTotpAction": () => ({ form: { code: "000000" } }),
      "app/account/security/actions.ts#regenerateRecoveryCodesAction": () => ({ form: { code: "000000" } }),
      "GET /api/audit/checkpoints/[id]": () => ({ route: "/api/audit/checkpoints/1" }),
      "GET /api/audit/export": () => ({ route: "/api/audit/export" }),
      "GET /api/audit/public-key": () => ({ route: "/api/audit/public-key" }),
      "GET /api/audit/reports/[slug]": () => ({ route: "/api/audit/reports/no-such-report" }),
      "POST /api/audit/verify": () => ({ route: "/api/audit/verify" }),
      "GET /api/exports/[id]/manifest": () => ({ route: `/api/exports/${some}/manifest` }),
      "GET /api/exports/changes": () => ({ route: "/api/exports/changes?format=csv" }),
      "GET /api/exports/events": () => ({ route: "/api/exports/events?format=jsonl" }),
      "GET /api/auth/[...nextauth]": () => ({ route: "/api/auth/session" }),
      "POST /api/auth/[...nextauth]": () => ({ route: "/api/auth/signout" }),
      "GET /api/v1/openapi.json": () => ({ route: "/api/v1/openapi.json" }),
      "GET /api/docs": () => ({ route: "/api/docs" }),
      "GET /api/docs/scalar.js": () => ({ route: "/api/docs/scalar.js" }),
      "POST /api/demo-webhook-receiver/[id]": () => ({ route: `/api/demo-webhook-receiver/${some}` }),
    };
    expect(Object.keys(PROBES).sort(), "every policy entry needs a probe in this spec").toEqual(Object.keys(AUTHORIZATION_POLICY).sort());

    // A page that serves the action without an id to fill in (the action runs the same from any).
    const manifest = readActionManifest();
    const pageOf = (key: string) => {
      const page = manifest.get(key)!.pages.find((p) => !p.includes("["));
      return page
        ? "/" +
            page
              .replace(/^app\//, "")
              .replace(/\/?page$/, "")
              .split("/")
              .filter((s) => s && !/^\(.*\)$/.test(s))
              .join("/")
        : undefined;
    };
    const version = async (changeId: string) =>
      String((await db.query<{ version: number }>("SELECT version FROM change_requests WHERE id = $1", [changeId])).rows[0]!.version);

    async function call(client: ActionClient, cookie: string | null, key: string, change: Change): Promise<Outcome> {
      const probe = PROBES[key]!(change);
      if ("route" in probe) {
        const [method] = key.split(" ");
        const response = await fetch(`${client.baseUrl}${probe.route}`, {
          method,
          redirect: "manual",
          headers: { ...(cookie ? { cookie } : {}), origin: client.baseUrl },
        });
        const body = await response.text();
        const status = response.status;
        return {
          through: status !== 401 && status !== 403 && status < 500,
          signedOut: status === 401,
          message: `HTTP ${status} ${body.slice(0, 120)}`,
          status,
        };
      }
      const [file, name] = key.split("#") as [string, string];
      const options = file.includes("changes/[id]") || file.includes("cab/") ? onChange(change.id) : { path: pageOf(key) };
      if ("args" in probe) return outcomeOfAction(await client.callActionWithArgs(cookie, file, name, probe.args, options));
      const fields = { ...probe.form };
      if (fields.version === "__version__") fields.version = await version(String(fields.changeId));
      return outcomeOfAction(await client.callAction(cookie, file, name, fields, options));
    }

    // ---- The matrix. ----
    // Sign-in's own endpoints and "sign out everywhere" last: they may end the caller's session.
    const rank = (key: string) => (AUTHORIZATION_POLICY[key]!.endsSessions ? 2 : AUTHORIZATION_POLICY[key]!.public ? 1 : 0);
    const keys = Object.keys(AUTHORIZATION_POLICY).sort((a, b) => rank(a) - rank(b));
    const cases = (policy: Policy): Relation[] => (policy.global ? ["other"] : ["own", "other"]);
    const mismatches: string[] = [];
    const weak = new Set<string>();
    let calls = 0;

    const deactivatedEvents = new Map<string, number>();
    for (const c of callers.filter((c) => c.kind === "deactivated")) deactivatedEvents.set(c.userId, await eventsOf(c.userId, true));

    // The change manager's sign-off goes through and closes that item on someone else's change:
    // their calls come after everyone else's, so the others meet the item still open.
    const last = (c: Caller) => c.role === "change_manager" && c.kind === "normal";
    const setupSeconds = Math.round((Date.now() - startedAt) / 1000);
    const runCaller = async (caller: Caller) => {
      const client = clients[callers.indexOf(caller) % clients.length]!;
      let refusals = await refusalsOf(caller.userId);
      for (const key of keys) {
        const policy = AUTHORIZATION_POLICY[key]!;
        for (const relation of cases(policy)) {
          const change = relation === "own" ? caller.own : otherChange;
          const outcome = await call(client, caller.cookie, key, change);
          calls += 1;
          const after = await refusalsOf(caller.userId);
          const denied = after.denied > refusals.denied;
          const audited = denied || after.refused > refusals.refused;
          refusals = after;
          const where = `${key} · ${caller.role} · ${relation} · ${caller.kind}: ${outcome.message}`;
          if (outcome.status >= 500) mismatches.push(`server error: ${where}`);
          if (policy.bearer) {
            // Whatever the session, a cookie never authenticates /api/v1.
            if (outcome.status !== 401) mismatches.push(`a session cookie got past the Bearer gate: ${where}`);
            continue;
          }
          const allowed =
            policy.public ||
            (caller.kind === "normal" && (relation === "own" ? policy.own : policy.other).includes(caller.role)) ||
            (caller.kind === "temporary-password" && policy.temporaryPassword === "allowed" && policy.own.includes(caller.role));
          if (caller.kind === "deactivated") {
            // The ended session is refused as signed out, and the refusal recorded in the user's name.
            if (policy.public) continue;
            if (outcome.through || !outcome.signedOut) mismatches.push(`not refused as signed out: ${where}`);
            else if (!denied) mismatches.push(`refusal not audited: ${where}`);
            continue;
          }
          if (allowed) {
            if (AUTHORIZATION_REFUSAL.test(outcome.message) || outcome.status === 401 || outcome.status === 403)
              mismatches.push(`refused, policy allows: ${where}`);
            continue;
          }
          if (outcome.through) mismatches.push(`went through, policy refuses: ${where}`);
          else if (!audited) mismatches.push(`refusal not audited: ${where}`);
          else if (!denied && !AUTHORIZATION_REFUSAL.test(outcome.message)) weak.add(`${key} (${relation})`);
        }
      }
    };
    await pool(
      callers.filter((c) => !last(c)),
      CONCURRENCY,
      runCaller,
    );
    await pool(callers.filter(last), CONCURRENCY, runCaller);

    // Without a session there is no one to record: every call must be refused as signed out.
    for (const key of keys) {
      const policy = AUTHORIZATION_POLICY[key]!;
      if (policy.public) continue;
      const outcome = await call(client, null, key, otherChange);
      calls += 1;
      if (outcome.through || !outcome.signedOut) mismatches.push(`not refused as signed out: ${key} · anonymous: ${outcome.message}`);
    }
    // Nothing but refusals is recorded in a deactivated user's name after the deactivation.
    for (const [id, before] of deactivatedEvents) {
      const now = await eventsOf(id, true);
      if (now !== before) mismatches.push(`a deactivated user's session acted: ${now - before} audit events by ${id}`);
    }

    console.log(
      `[authorization matrix] ${calls} calls, ${callers.length} users, ${keys.length} actions and routes; setup ${setupSeconds} s, all ${Math.round((Date.now() - startedAt) / 1000)} s`,
    );
    if (weak.size > 0)
      console.log(`[authorization matrix] refused before the role was checked (a lifecycle rule first): ${[...weak].sort().join("; ")}`);
    expect(mismatches).toEqual([]);
  } finally {
    await db.end();
  }
});
