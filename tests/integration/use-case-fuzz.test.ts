import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { ROLES } from "@/lib/domain/roles";
import type { Result } from "@/lib/domain/result";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import type { Actor } from "@/lib/server/auth/current-actor";
import { addComment } from "@/lib/server/changes/add-comment";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem, waiveItem } from "@/lib/server/changes/sign-off-item";
import { createCi } from "@/lib/server/cis/create-ci";
import { searchCis } from "@/lib/server/cis/search-cis";
import { setCiDependencies } from "@/lib/server/cis/set-ci-dependencies";
import { updateCi } from "@/lib/server/cis/update-ci";
import { searchHistoryCis, searchHistoryPeople } from "@/lib/server/history/search-history";
import { markNotificationsRead } from "@/lib/server/notifications/notification-inbox";
import { approveFreezeException, requestFreezeException } from "@/lib/server/changes/freeze-exception";
import { addMaintenanceWindow, removeMaintenanceWindow } from "@/lib/server/schedule/maintenance-windows";
import { rescheduleChange } from "@/lib/server/changes/reschedule-change";
import { createFreeze, deleteFreeze, updateFreeze } from "@/lib/server/schedule/save-freeze";
import { approveTemplate } from "@/lib/server/templates/approve-template";
import { newTemplateVersion } from "@/lib/server/templates/new-template-version";
import { proposeTemplate } from "@/lib/server/templates/propose-template";
import { retireTemplate } from "@/lib/server/templates/retire-template";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { approveRoleGrant, refuseRoleGrant, requestRoleGrant, withdrawRoleGrant } from "@/lib/server/users/role-grant-requests";
import { createUser } from "@/lib/server/users/create-user";
import { changeOwnPassword, resetPassword } from "@/lib/server/users/set-password";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { endOwnSession, endSessionsAsAdmin } from "@/lib/server/users/user-sessions";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Every use case a server action calls, fed hostile input by fast-check (huge, unicode, NUL,
// wrong types, missing fields) starting from a valid input, so a value gets past the first checks
// and reaches the database: each call must answer a Result, and a refusal a message a user can act
// on, never an exception or the database's own text. FUZZ_RUNS sets the runs per use case.
const RUNS = Number(process.env.FUZZ_RUNS || 40);

const HOSTILE_STRINGS = [
  "a\u0000b",
  "\u0000",
  "x\u0001\u001f\u007f\u0085y",
  "\uD800",
  "\uDC00x",
  "😀".repeat(2000),
  "x".repeat(100_000),
  "é\u200b\u202e\uFEFF",
  "0000-01-01T00:00",
  "9999-12-31T23:59",
  "+275760-09-13T00:00:00.000Z",
  "-000001-01-01T00:00:00Z",
  "2026-02-30T10:00",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1e309",
  "99999999999999999999",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "-".repeat(36),
  "f".repeat(36),
  "  ",
  "",
];
const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u0000${s}`),
  fc.uuid(),
);
const hostileValue = (real: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 2, arbitrary: fc.constantFrom(...real) },
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(hostileString, { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 2 }),
  );

/** A valid input with some fields replaced by hostile values and some left out, or no object at all. */
function hostileInput(valid: Record<string, unknown>, real: string[]) {
  const keys = Object.keys(valid);
  const mutated = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...keys, "extra"), hostileValue(real), { minKeys: 1, maxKeys: 3 }),
      fc.subarray(keys, { maxLength: Math.min(2, keys.length) }),
    )
    .map(([changes, dropped]) => {
      const input: Record<string, unknown> = { ...valid, ...changes };
      for (const k of dropped) delete input[k];
      return input;
    });
  return fc.oneof({ weight: 9, arbitrary: mutated }, fc.constantFrom<unknown>(null, undefined, "text", 42, [], [valid]));
}

/** What a person reads must be the portal's own sentence, not a stack trace or PostgreSQL's. */
function expectActionableAnswer(result: Result<unknown>, input: unknown) {
  expect(typeof result.ok, JSON.stringify(input)?.slice(0, 300)).toBe("boolean");
  if (result.ok) return;
  expect(result.message, JSON.stringify(input)?.slice(0, 300)).toMatch(/\S/);
  expect(result.message.length).toBeLessThan(500);
  for (const text of [result.message, ...Object.values(result.fieldErrors ?? {})]) {
    expect(text).not.toMatch(
      /prisma|invalid byte sequence|violates|constraint|SQLSTATE|\bP\d{4}\b|^\s+at |Error:|\[object Object\]|\u0000/i,
    );
  }
}

type U = Awaited<ReturnType<typeof createTestUser>>;
let everyone: U;
let requester: U;
let real: Record<"change" | "own" | "ci" | "other" | "user" | "me" | "template" | "freeze" | "ciUpdatedAt" | "key", string>;

beforeAll(async () => {
  everyone = await createTestUser({ roles: [...ROLES] });
  requester = await createTestUser({ roles: ["requester"] });
  const ci = await createTestCi();
  const other = await createTestCi();
  const created = await createChangeDraft(requester.actor, completeDraft([ci.id]));
  if (!created.ok) throw new Error(created.message);
  const submitted = await performChangeAction(requester.actor, { changeId: created.value.id, action: "submit" });
  if (!submitted.ok) throw new Error(submitted.message);
  const own = await createChangeDraft(everyone.actor, completeDraft([other.id]));
  if (!own.ok) throw new Error(own.message);
  const template = await proposeTemplate(requester.actor, {
    title: "Fuzz template",
    description: "d",
    implementationPlan: "i",
    backoutPlan: "b",
    testPlan: "t",
    riskCeiling: "low",
    ciIds: [ci.id],
  });
  const freeze = await createFreeze(everyone.actor, {
    startsAt: "2030-01-01T00:00",
    endsAt: "2030-01-02T00:00",
    reason: "Fuzz freeze",
    scope: "all",
    environments: "",
    tags: "",
  });
  const ciRow = await testDb().configurationItem.findUniqueOrThrow({ where: { id: ci.id } });
  const item = await testDb().checklistItem.findFirst({ where: { changeId: created.value.id } });
  real = {
    change: created.value.id,
    own: own.value.id,
    ci: ci.id,
    other: other.id,
    user: requester.id,
    me: everyone.id,
    template: template.ok ? template.value.id : ci.id,
    freeze: freeze.ok ? freeze.value.id : ci.id,
    ciUpdatedAt: ciRow.updatedAt.toISOString(),
    key: item?.key ?? "sast_dast",
  };
});

type Case = { name: string; run: (actor: Actor, input: unknown) => Promise<Result<unknown>>; valid: () => Record<string, unknown> };

const CASES: Case[] = [
  {
    name: "createCi",
    run: createCi,
    valid: () => ({
      name: `ci-fuzz-${Math.random()}`,
      type: "application",
      environment: "production",
      owner: "Ops",
      criticality: "3",
      exposure: "internal",
      tags: "pci",
    }),
  },
  {
    name: "updateCi",
    run: updateCi,
    valid: () => ({
      id: real.ci,
      updatedAt: real.ciUpdatedAt,
      name: `ci-fuzz-${Math.random()}`,
      type: "application",
      environment: "production",
      owner: "Ops",
      criticality: "3",
      exposure: "internal",
      tags: "",
    }),
  },
  {
    name: "setCiDependencies",
    run: setCiDependencies,
    valid: () => ({ id: real.ci, updatedAt: real.ciUpdatedAt, dependsOnIds: [real.other] }),
  },
  {
    name: "createFreeze",
    run: createFreeze,
    valid: () => ({
      startsAt: "2031-01-01T00:00",
      endsAt: "2031-01-02T00:00",
      reason: "Quarter end",
      scope: "all",
      environments: "",
      tags: "",
    }),
  },
  {
    name: "updateFreeze",
    run: updateFreeze,
    valid: () => ({
      id: real.freeze,
      updatedAt: new Date().toISOString(),
      startsAt: "2031-01-01T00:00",
      endsAt: "2031-01-02T00:00",
      reason: "Quarter end",
      scope: "all",
      environments: "",
      tags: "",
    }),
  },
  { name: "deleteFreeze", run: deleteFreeze, valid: () => ({ id: real.ci }) },
  { name: "addMaintenanceWindow", run: addMaintenanceWindow, valid: () => ({ ciId: real.ci, weekday: "2", start: "02:00", hours: "2" }) },
  { name: "removeMaintenanceWindow", run: removeMaintenanceWindow, valid: () => ({ id: real.ci }) },
  {
    name: "proposeTemplate",
    run: proposeTemplate,
    valid: () => ({
      title: "T",
      description: "d",
      implementationPlan: "i",
      backoutPlan: "b",
      testPlan: "t",
      riskCeiling: "low",
      ciIds: [real.ci],
    }),
  },
  {
    name: "newTemplateVersion",
    run: newTemplateVersion,
    valid: () => ({
      baseId: real.template,
      title: "T",
      description: "d",
      implementationPlan: "i",
      backoutPlan: "b",
      testPlan: "t",
      riskCeiling: "low",
      ciIds: [real.ci],
    }),
  },
  { name: "approveTemplate", run: approveTemplate, valid: () => ({ templateId: real.ci }) },
  { name: "retireTemplate", run: retireTemplate, valid: () => ({ templateId: real.ci }) },
  {
    name: "createUser",
    run: createUser,
    valid: () => ({
      name: "Fuzz",
      email: `fuzz-${Math.random()}@example.test`,
      temporaryPassword: "a long temporary password",
      roles: ["requester"],
    }),
  },
  { name: "changeUserRole", run: changeUserRole, valid: () => ({ userId: real.user, role: "cab_member", grant: false }) },
  { name: "requestRoleGrant", run: requestRoleGrant, valid: () => ({ userId: real.user, role: "cab_member", reason: "Fuzz" }) },
  { name: "approveRoleGrant", run: approveRoleGrant, valid: () => ({ requestId: real.ci, reason: "" }) },
  { name: "refuseRoleGrant", run: refuseRoleGrant, valid: () => ({ requestId: real.ci, reason: "No" }) },
  { name: "withdrawRoleGrant", run: withdrawRoleGrant, valid: () => ({ requestId: real.ci }) },
  { name: "setUserActive", run: setUserActive, valid: () => ({ userId: real.user, active: true }) },
  { name: "resetPassword", run: resetPassword, valid: () => ({ userId: real.me, temporaryPassword: "a long temporary password" }) },
  { name: "endOwnSession", run: endOwnSession, valid: () => ({ sessionId: real.ci }) },
  { name: "endSessionsAsAdmin", run: endSessionsAsAdmin, valid: () => ({ userId: real.user, sessionId: real.ci }) },
  {
    name: "changeOwnPassword",
    run: changeOwnPassword,
    valid: () => ({ currentPassword: "wrong", newPassword: "a new long password", confirmPassword: "a new long password" }),
  },
  { name: "createChangeDraft", run: createChangeDraft, valid: () => completeDraft([real.ci]) },
  {
    name: "updateChangeDraft",
    run: updateChangeDraft,
    valid: () => ({ ...completeDraft([real.other]), changeId: real.own, version: "999" }),
  },
  {
    name: "performChangeAction",
    run: performChangeAction,
    valid: () => ({
      changeId: real.change,
      version: "999",
      action: "reject",
      reason: "Not now",
      outcome: undefined,
      outcomeNotes: "",
      rootCause: "",
    }),
  },
  { name: "castVote", run: castVote, valid: () => ({ changeId: real.change, role: "cab_member", decision: "reject", comment: "No" }) },
  { name: "signOffItem", run: signOffItem, valid: () => ({ changeId: real.own, key: real.key, evidence: "Report attached" }) },
  {
    name: "waiveItem",
    run: waiveItem,
    valid: () => ({ changeId: real.own, key: real.key, compensatingControl: "WAF rule", residualRisk: "Low" }),
  },
  { name: "assignImplementer", run: assignImplementer, valid: () => ({ changeId: real.change, implementerId: real.user, version: "999" }) },
  { name: "addComment", run: addComment, valid: () => ({ changeId: real.change, body: "Looks fine" }) },
  { name: "requestFreezeException", run: requestFreezeException, valid: () => ({ changeId: real.own, reason: "Urgent" }) },
  { name: "approveFreezeException", run: approveFreezeException, valid: () => ({ changeId: real.change, role: "change_manager" }) },
  {
    name: "rescheduleChange",
    run: rescheduleChange,
    valid: () => ({ changeId: real.change, version: "999", plannedStart: "2031-02-01T10:00", plannedEnd: "2031-02-01T11:00" }),
  },
  { name: "markNotificationsRead", run: markNotificationsRead, valid: () => ({ id: real.ci, all: false }) },
];

describe("every use case answers hostile input with a Result", () => {
  for (const useCase of CASES) {
    it(
      useCase.name,
      async () => {
        const reals = () => Object.values(real);
        await fc.assert(
          fc.asyncProperty(
            fc.constant(null).chain(() => hostileInput(useCase.valid(), reals())),
            async (input) => {
              let result: Result<unknown>;
              try {
                result = await useCase.run(everyone.actor, input);
              } catch (error) {
                throw new Error(
                  `${useCase.name} threw ${(error as Error).message.slice(0, 300)} for ${JSON.stringify(input)?.slice(0, 300)}`,
                );
              }
              expectActionableAnswer(result, input);
            },
          ),
          { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED) || undefined },
        );
      },
      120_000,
    );
  }

  it("the pickers' searches answer any text with a list", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (query) => {
        expect(Array.isArray(await searchCis(query, 8))).toBe(true);
        expect(Array.isArray(await searchHistoryCis(query))).toBe(true);
        expect(Array.isArray(await searchHistoryPeople(query))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("the audit log still verifies after all of it", async () => {
    expect(verifyChain(await readAuditEvents({ limit: 1_000_000 })).ok).toBe(true);
  });
});
