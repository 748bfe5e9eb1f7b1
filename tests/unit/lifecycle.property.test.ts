import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { availableActions } from "@/lib/domain/available-actions";
import { CHANGE_ACTIONS, type ChangeAction } from "@/lib/domain/change-actions";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { NO_FLAGS } from "@/lib/domain/change-flags";
import { isTerminalState, type ChangeState } from "@/lib/domain/change-states";
import { CHANGE_TYPES, type ChangeType } from "@/lib/domain/change-types";
import { applicableItems } from "@/lib/domain/checklist";
import { decide } from "@/lib/domain/decide";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { decideSignOff } from "@/lib/domain/decide-sign-off";
import { decideVote } from "@/lib/domain/decide-vote";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import type { Decision } from "@/lib/domain/decision";
import { IMPLEMENTATION_OUTCOMES } from "@/lib/domain/implementation-outcomes";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import { ROLES, type Role } from "@/lib/domain/roles";
import { APPROVER_ROLES, VOTE_DECISIONS } from "@/lib/domain/vote";
import { draftChange, NOW } from "./change-fixtures";

const PEOPLE = 10;
const STAFF: readonly Role[] = [
  "cab_member",
  "cab_member",
  "cab_member",
  "security_reviewer",
  "security_reviewer",
  "change_manager",
  "change_manager",
  "implementer",
];
const SIDE_EXITS: readonly ChangeAction[] = ["reject", "return_for_rework", "cancel", "withdraw"];
const idOf = (i: number) => `p${i % PEOPLE}`;

// Commands: explicit ones (often refused), and "auto" ones that pick among what the domain allows, so runs get deep.
const command = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("transition" as const),
      action: fc.constantFrom(...CHANGE_ACTIONS),
      actor: fc.nat(),
      reason: fc.constantFrom("", "Because."),
      outcome: fc.constantFrom(null, ...IMPLEMENTATION_OUTCOMES),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("auto" as const), pick: fc.nat(), outcome: fc.constantFrom(...IMPLEMENTATION_OUTCOMES) }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant("auto_vote" as const), pick: fc.nat() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("auto_sign" as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("auto_assign" as const), pick: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("vote" as const),
      actor: fc.nat(),
      role: fc.constantFrom(...APPROVER_ROLES),
      decision: fc.constantFrom(...VOTE_DECISIONS),
      comment: fc.constantFrom("", "Reason given."),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("sign" as const), actor: fc.nat(), item: fc.nat(), waive: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("assign" as const), actor: fc.nat(), candidate: fc.nat() }), weight: 1 },
  // Facts the server gathers outside the lifecycle's decisions: a risk assessment, a post-implementation review.
  { arbitrary: fc.record({ kind: fc.constant("assess" as const), level: fc.constantFrom(...RISK_LEVELS) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("review" as const), complete: fc.boolean(), rootCause: fc.boolean() }), weight: 2 },
);

const scenario = fc.record({
  type: fc.constantFrom(...CHANGE_TYPES),
  roles: fc.array(fc.subarray([...ROLES], { minLength: 1 }), { minLength: PEOPLE, maxLength: PEOPLE }),
  // A staffed organisation guarantees each role someone besides the requester (extra roles stay random), so runs get deep.
  staffed: fc.boolean(),
  risk: fc.option(fc.constantFrom(...RISK_LEVELS), { nil: null }),
  implementer: fc.option(fc.nat({ max: PEOPLE - 1 }), { nil: null }),
  flags: fc.record({
    newExternalInterface: fc.boolean(),
    touchesAuth: fc.boolean(),
    releaseArtifact: fc.boolean(),
    infraProvisioning: fc.boolean(),
  }),
  insideFreeze: fc.constantFrom(false, false, false, true),
  freezeExceptionGranted: fc.boolean(),
  commands: fc.array(command, { minLength: 80, maxLength: 200 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const reached = new Map<string, number>();
const note = (type: ChangeType, state: ChangeState) => reached.set(`${type}:${state}`, (reached.get(`${type}:${state}`) ?? 0) + 1);

function run(s: Scenario): void {
  const people: ActorFacts[] = s.roles.map((roles, i) => {
    const core: Role[] = i === 0 ? ["requester"] : s.staffed && STAFF[i - 1] ? [STAFF[i - 1]!] : [];
    return { id: idOf(i), roles: [...new Set<Role>([...core, ...roles])] };
  });
  let change: ChangeFacts = draftChange(s.type, {
    requesterId: "p0",
    implementerId: s.implementer === null ? null : idOf(s.implementer),
    risk: s.risk === null ? null : { score: 50, level: s.risk, summary: "generated" },
    flags: { ...NO_FLAGS, ...s.flags },
    insideFreeze: s.insideFreeze,
    freezeExceptionGranted: s.freezeExceptionGranted,
  });
  if (s.type === "standard")
    change = {
      ...change,
      template: { ...change.template!, riskCeiling: "critical", checklistKeys: applicableItems(change).map((i) => i.key) },
    };
  let accepted = 0;
  const log: unknown[] = [];
  const isParty = (id: string) => id === change.requesterId || id === change.implementerId;

  const accept = (d: Decision, actorId: string): d is Extract<Decision, { allowed: true }> => {
    if (!d.allowed) {
      expect(d.reasons.length).toBeGreaterThan(0);
      return false;
    }
    // Exactly one audit event per accepted action, from the state it left to the state it reached.
    expect(Array.isArray(d.audit)).toBe(false);
    expect(typeof d.audit.action).toBe("string");
    expect(d.audit.from).toBe(change.state);
    expect(d.audit.to).toBe(d.to);
    log.push({ ...d.audit, actorId });
    accepted++;
    return true;
  };

  const transition = (action: ChangeAction, actor: ActorFacts, reason: string, outcome: ChangeFacts["outcome"]) => {
    const before = change;
    const d = decide(change, action, actor, { now: NOW, reason, outcome });
    if (isTerminalState(before.state)) expect(d.allowed).toBe(false);
    if (!accept(d, actor.id)) return;
    if (d.to === "scheduled" && before.type !== "standard") expectPolicySatisfied(before);
    if (d.to === "scheduled" && before.type === "standard") expect(before.template?.status).toBe("approved");
    if (d.to === "implementing" && before.type === "emergency") expectTwoIndependentApprovers(before);
    change = { ...change, state: d.to };
    if (action === "submit" && before.type !== "standard") change = { ...change, approvalRound: before.approvalRound + 1, votes: [] };
    if (action === "return_for_rework") change = { ...change, votes: [] };
    if (action === "record_outcome") change = { ...change, outcome: outcome };
    note(change.type, change.state);
  };

  for (const cmd of s.commands) {
    const actor = "actor" in cmd ? people[cmd.actor % PEOPLE]! : people[0]!;
    const wasTerminal = isTerminalState(change.state);
    const countBefore = accepted;
    switch (cmd.kind) {
      case "transition":
        transition(cmd.action, actor, cmd.reason, cmd.outcome);
        break;
      case "auto": {
        // Auto commands pick among the forward steps someone may take now; side exits come from explicit commands, or every run would end cancelled.
        const options = people.flatMap((p) =>
          availableActions(change, p, NOW)
            .filter((o) => o.decision.allowed && !SIDE_EXITS.includes(o.action))
            .map((o) => [p, o.action] as const),
        );
        const option = options[cmd.pick % Math.max(1, options.length)];
        if (option) transition(option[1], option[0], "Because.", cmd.outcome);
        break;
      }
      case "auto_vote": {
        // Approvals go where the policy still misses some, as a CAB chair would ask for them.
        const missing = evaluateVotes(requiredApprovals(change), change.votes, change).missing.map((m) => m.role);
        const options = people.flatMap((p) =>
          missing
            .filter((role) => decideVote(change, p, { role, decision: "approve", comment: "" }).allowed)
            .map((role) => [p, role] as const),
        );
        const option = options[cmd.pick % Math.max(1, options.length)];
        if (option && accept(decideVote(change, option[0], { role: option[1], decision: "approve", comment: "" }), option[0].id)) {
          change = { ...change, votes: [...change.votes, { voterId: option[0].id, role: option[1], decision: "approve", comment: "" }] };
        }
        break;
      }
      case "auto_sign": {
        const options = people.flatMap((p) =>
          applicableItems(change)
            .filter((i) => decideSignOff(change, p, i.key, "Evidence.").allowed)
            .map((i) => [p, i.key] as const),
        );
        const option = options[cmd.pick % Math.max(1, options.length)];
        if (option && accept(decideSignOff(change, option[0], option[1], "Evidence."), option[0].id)) {
          expect(isParty(option[0].id)).toBe(false);
          change = {
            ...change,
            checklist: [...change.checklist.filter((e) => e.key !== option[1]), { key: option[1], status: "signed", byId: option[0].id }],
          };
        }
        break;
      }
      case "vote": {
        const d = decideVote(change, actor, { role: cmd.role, decision: cmd.decision, comment: cmd.comment });
        if (accept(d, actor.id)) {
          expect(isParty(actor.id)).toBe(false);
          change = {
            ...change,
            votes: [...change.votes, { voterId: actor.id, role: cmd.role, decision: cmd.decision, comment: cmd.comment }],
          };
        }
        break;
      }
      case "sign": {
        const items = applicableItems(change);
        const item = items[cmd.item % Math.max(1, items.length)];
        if (!item) break;
        const d = cmd.waive
          ? decideWaiver(change, actor, item.key, { compensatingControl: "WAF", residualRisk: "Low" })
          : decideSignOff(change, actor, item.key, "Evidence.");
        if (accept(d, actor.id)) {
          expect(isParty(actor.id)).toBe(false);
          const entry = { key: item.key, status: cmd.waive ? ("waived" as const) : ("signed" as const), byId: actor.id };
          change = { ...change, checklist: [...change.checklist.filter((e) => e.key !== item.key), entry] };
        }
        break;
      }
      case "assign": {
        const candidate = people[cmd.candidate % PEOPLE]!;
        if (accept(decideAssignImplementer(change, actor, candidate, null), actor.id)) change = { ...change, implementerId: candidate.id };
        break;
      }
      case "auto_assign": {
        const options = people.flatMap((m) =>
          people.filter((c) => decideAssignImplementer(change, m, c, null).allowed).map((c) => [m, c] as const),
        );
        const option = options[cmd.pick % Math.max(1, options.length)];
        if (option && accept(decideAssignImplementer(change, option[0], option[1], null), option[0].id))
          change = { ...change, implementerId: option[1].id };
        break;
      }
      case "assess":
        if (["draft", "submitted", "assessment"].includes(change.state))
          change = { ...change, risk: { score: 50, level: cmd.level, summary: "generated" } };
        break;
      case "review":
        if (change.state === "review") {
          const ok = cmd.complete;
          change = {
            ...change,
            review: {
              worksAsIntended: ok,
              securityControlsInPlace: ok,
              monitoringCovers: ok,
              documentationUpdated: ok,
              securityValidation: ok ? "Logs and access reviewed." : null,
            },
            rootCause: cmd.rootCause ? "Found it." : null,
          };
        }
        break;
    }
    // Closed, rejected and cancelled are terminal: nothing is accepted there, and nothing leaves them.
    if (wasTerminal) {
      expect(accepted).toBe(countBefore);
      expect(isTerminalState(change.state)).toBe(true);
    }
    // Nobody approves, signs or waives on a change they requested or implement, at any point.
    for (const v of change.votes) if (v.decision === "approve") expect(isParty(v.voterId)).toBe(false);
    for (const e of change.checklist) if (e.status !== "pending") expect(isParty(e.byId!)).toBe(false);
  }
  expect(log).toHaveLength(accepted);
}

// Counted here independently of evaluateVotes: distinct independent approvers per required role, and no security veto.
function expectPolicySatisfied(change: ChangeFacts): void {
  const independent = change.votes.filter((v) => v.voterId !== change.requesterId && v.voterId !== change.implementerId);
  const firstPerPerson = independent.filter((v, i) => independent.findIndex((w) => w.voterId === v.voterId) === i);
  for (const rule of requiredApprovals(change).rules) {
    const approvers = new Set(firstPerPerson.filter((v) => v.role === rule.role && v.decision === "approve").map((v) => v.voterId));
    expect(approvers.size).toBeGreaterThanOrEqual(rule.count);
  }
  expect(firstPerPerson.some((v) => v.role === "security_reviewer" && v.decision === "reject")).toBe(false);
}

function expectTwoIndependentApprovers(change: ChangeFacts): void {
  const approvers = (role: string) =>
    change.votes
      .filter((v) => v.role === role && v.decision === "approve" && v.voterId !== change.requesterId && v.voterId !== change.implementerId)
      .map((v) => v.voterId);
  const managers = approvers("change_manager");
  const security = approvers("security_reviewer");
  expect(managers.some((m) => security.some((s) => s !== m))).toBe(true);
}

describe("lifecycle invariants under random actions by random actors", () => {
  it("hold for every change type", () => {
    fc.assert(
      fc.property(scenario, (s) => run(s)),
      { numRuns: 200, seed: 20260302 },
    );
    // The walk must get deep, or the invariants above would hold vacuously.
    for (const type of CHANGE_TYPES) expect(reached.get(`${type}:closed`) ?? 0, `${type} reached closed`).toBeGreaterThan(0);
    for (const type of ["normal", "major"] as const)
      expect(reached.get(`${type}:scheduled`) ?? 0, `${type} reached scheduled`).toBeGreaterThan(0);
    expect(reached.get("emergency:implementing") ?? 0).toBeGreaterThan(0);
    expect(reached.get("normal:rejected") ?? 0).toBeGreaterThan(0);
    // About 3 s on an idle machine; these machines are shared, so allow for a busy one.
  }, 30_000);
});
