import { describe, expect, it } from "vitest";
import type { ChangeAction } from "@/lib/domain/change-actions";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { decide, type ActionInput } from "@/lib/domain/decide";
import { TRANSITIONS } from "@/lib/domain/transition-table";
import { approve, draftChange, GOOD_REVIEW, IN_WINDOW, NOW, people, reject, signed } from "./change-fixtures";

const input = (extra: Partial<ActionInput> = {}): ActionInput => ({ now: NOW, ...extra });
const reasonsOf = (change: ChangeFacts, action: ChangeAction, actor: ActorFacts, extra: Partial<ActionInput> = {}) => {
  const d = decide(change, action, actor, input(extra));
  return d.allowed ? [] : d.reasons;
};

type Step = [ChangeAction, ActorFacts, Partial<ActionInput>?, Partial<ChangeFacts>?];

/** Applies steps, each of which must be allowed; `patch` adds the facts gathered after the step (votes, sign-offs, review). */
function walk(change: ChangeFacts, steps: Step[]): string[] {
  const states: string[] = [change.state];
  for (const [action, actor, extra, patch] of steps) {
    const d = decide(change, action, actor, input(extra));
    if (!d.allowed) throw new Error(`${action} refused: ${d.reasons.join(" | ")}`);
    expect(d.audit).toMatchObject({ from: change.state, to: d.to });
    change = { ...change, state: d.to, ...patch };
    states.push(change.state);
  }
  return states;
}

const pre = signed("backup_verified", "rollback_tested");
const baseline = signed("secure_baseline");

describe("the happy paths of domain.md", () => {
  it("normal: every state", () => {
    const change = draftChange("normal", { implementerId: people.implementer.id });
    const states = walk(change, [
      ["submit", people.requester, {}, { approvalRound: 1 }],
      ["start_assessment", people.manager, {}, { risk: { score: 30, level: "medium", summary: "internal CI" }, checklist: baseline }],
      ["request_authorization", people.manager, {}, { votes: [approve(people.cab1, "cab_member"), approve(people.cab2, "cab_member")] }],
      ["schedule", people.manager, {}, { checklist: [...baseline, ...pre] }],
      ["start_implementation", people.implementer, { now: IN_WINDOW }],
      ["record_outcome", people.implementer, { outcome: "successful" }, { outcome: "successful", review: GOOD_REVIEW }],
      ["close", people.manager2],
    ]);
    expect(states).toEqual(["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "review", "closed"]);
  });

  it("standard: draft → scheduled on submit, inside its template", () => {
    const states = walk(draftChange("standard", { implementerId: people.implementer.id }), [
      ["submit", people.requester],
      ["start_implementation", people.implementer, { now: IN_WINDOW }],
      ["record_outcome", people.implementer, { outcome: "successful" }, { outcome: "successful", review: GOOD_REVIEW }],
      ["close", people.manager],
    ]);
    expect(states).toEqual(["draft", "scheduled", "implementing", "review", "closed"]);
  });

  it("emergency: draft → authorization (ECAB) → implementing → review → closed", () => {
    const states = walk(draftChange("emergency", { implementerId: people.implementer.id }), [
      [
        "submit",
        people.requester,
        {},
        { votes: [approve(people.manager, "change_manager"), approve(people.security, "security_reviewer")], checklist: pre },
      ],
      ["start_implementation", people.implementer, { now: IN_WINDOW }],
      [
        "record_outcome",
        people.implementer,
        { outcome: "successful" },
        { outcome: "successful", review: GOOD_REVIEW, rootCause: "Unpatched library.", checklist: [...pre, ...baseline] },
      ],
      ["close", people.manager2],
    ]);
    expect(states).toEqual(["draft", "authorization", "implementing", "review", "closed"]);
  });

  it("major: every state, with quorum, security review and management approval", () => {
    const votes = [
      approve(people.cab1, "cab_member"),
      approve(people.cab2, "cab_member"),
      approve(people.cab3, "cab_member"),
      approve(people.security, "security_reviewer"),
      approve(people.manager2, "change_manager"),
    ];
    const states = walk(
      draftChange("major", { implementerId: people.implementer.id, checklist: [...baseline, ...signed("threat_model"), ...pre] }),
      [
        ["submit", people.requester],
        ["start_assessment", people.manager],
        ["request_authorization", people.manager, {}, { votes }],
        ["schedule", people.manager],
        ["start_implementation", people.implementer, { now: IN_WINDOW }],
      ],
    );
    expect(states.at(-1)).toBe("implementing");
  });

  it("returns for rework to draft, counted as rework, and resubmission opens a new round", () => {
    const submitted = draftChange("normal", { state: "submitted", approvalRound: 1 });
    const d = decide(submitted, "return_for_rework", people.manager, input({ reason: "The backout plan is missing steps." }));
    expect(d).toEqual({
      allowed: true,
      to: "draft",
      audit: {
        action: "change.returned_for_rework",
        from: "submitted",
        to: "draft",
        reason: "The backout plan is missing steps.",
        details: { rework: true, round: 1 },
      },
    });
    const again = decide({ ...submitted, state: "draft" }, "submit", people.requester, input());
    expect(again).toMatchObject({ allowed: true, audit: { details: { round: 2 } } });
  });
});

describe("submit guards", () => {
  it.each([
    ["title", { title: " " }, "Give the change a title."],
    ["description", { description: "" }, "Describe the change."],
    ["business justification", { justification: "" }, "Explain the business justification."],
    ["affected CIs", { affectedCiIds: [] }, "Name at least one affected configuration item."],
    ["implementation plan", { implementationPlan: "" }, "Write the implementation plan."],
    ["backout plan", { backoutPlan: "" }, "Write the backout plan."],
    ["test plan", { testPlan: "" }, "Write the test plan."],
    ["planned window", { plannedStart: null }, "Choose a planned start and end."],
    ["window order", { plannedEnd: new Date("2026-03-05T19:00:00Z") }, "The planned end must be after the planned start."],
    ["empty window", { plannedEnd: new Date("2026-03-05T20:00:00Z") }, "The planned end must be after the planned start."],
    ["window in the past", { plannedStart: new Date("2026-03-01T09:00:00Z") }, "The planned start must be in the future."],
    ["window starting now", { plannedStart: NOW }, "The planned start must be in the future."],
  ] as const)("refuses a change without %s", (_label, overrides, message) => {
    expect(reasonsOf(draftChange("normal", overrides), "submit", people.requester)).toEqual([message]);
  });

  it("lists every missing field at once", () => {
    expect(reasonsOf(draftChange("normal", { title: "", testPlan: "" }), "submit", people.requester)).toEqual([
      "Give the change a title.",
      "Write the test plan.",
    ]);
  });

  it.each([
    [
      "emergency justification",
      draftChange("emergency", { emergencyJustification: "  " }),
      "Explain why this change cannot wait (emergency justification).",
    ],
    ["assessed risk (emergency)", draftChange("emergency", { risk: null }), "The risk has not been assessed yet."],
    ["template reference", draftChange("standard", { template: null }), "Choose the standard-change template this change follows."],
    ["assessed risk (standard)", draftChange("standard", { risk: null }), "The risk has not been assessed yet."],
  ])("refuses without %s", (_label, change, message) => {
    expect(reasonsOf(change, "submit", people.requester)).toEqual([message]);
  });

  const template = draftChange("standard").template!;
  it.each([
    [
      "a retired template",
      { template: { ...template, status: "retired" as const } },
      `The template "Certificate rotation" (version 2) is retired, not approved; choose an approved template.`,
    ],
    [
      "risk above the ceiling",
      { risk: { score: 60, level: "high" as const, summary: "x" } },
      "The risk (high) is above the template's ceiling (medium). File it as a normal change instead.",
    ],
    [
      "CIs outside the template",
      { affectedCiIds: ["ci-api", "ci-db", "ci-queue"] },
      "2 of the configuration items are not covered by the template. File it as a normal change instead.",
    ],
    [
      "checklist items outside the template",
      { flags: { ...draftChange().flags, touchesAuth: true } },
      "The template does not cover these checklist items: SAST and DAST results. File it as a normal change instead.",
    ],
    [
      "a freeze",
      { insideFreeze: true },
      "The planned window falls inside a change freeze; move it, or ask the change manager and a security reviewer for a freeze exception.",
    ],
  ])("refuses a standard change with %s", (_label, overrides, message) => {
    expect(reasonsOf(draftChange("standard", overrides), "submit", people.requester)).toEqual([message]);
  });

  it("accepts a standard change whose checklist items the template covers, and one in a freeze with an exception", () => {
    const covered = draftChange("standard", {
      flags: { ...draftChange().flags, touchesAuth: true },
      template: { ...template, checklistKeys: ["sast_dast"] },
    });
    expect(decide(covered, "submit", people.requester, input())).toMatchObject({
      allowed: true,
      to: "scheduled",
      audit: { details: { templateId: "tpl-1", templateVersion: 2 } },
    });
    expect(
      decide(draftChange("standard", { insideFreeze: true, freezeExceptionGranted: true }), "submit", people.requester, input()).allowed,
    ).toBe(true);
  });

  it.each([
    ["someone else", people.manager, "Only the requester can submit this change."],
    [
      "the requester without the role any more",
      { id: people.requester.id, roles: ["cab_member"] as const },
      "Your account may no longer file or withdraw changes.",
    ],
  ])("refuses a submit by %s", (_label, actor, message) => {
    expect(reasonsOf(draftChange(), "submit", actor)).toEqual([message]);
  });
});

describe("guards on the way to authorization and scheduling", () => {
  const assessment = (overrides: Partial<ChangeFacts> = {}) =>
    draftChange("normal", { state: "assessment", risk: { score: 30, level: "medium", summary: "x" }, checklist: baseline, ...overrides });

  it.each([
    ["risk not assessed", { risk: null }, ["The risk has not been assessed yet."]],
    [
      "checklist items open",
      { checklist: [], flags: { ...draftChange().flags, releaseArtifact: true } },
      [
        "These checklist items still need a sign-off or waiver: Configuration compliant with the secure baseline, Signed artifact, digest recorded, Vulnerability scan within the scan policy, No hard-coded secrets or debug configuration.",
      ],
    ],
  ])("request_authorization refuses with %s", (_label, overrides, reasons) => {
    expect(reasonsOf(assessment(overrides), "request_authorization", people.manager)).toEqual(reasons);
  });

  it("counts waived items before authorization and leaves pre-implementation items for later", () => {
    const waived = [{ key: "secure_baseline", status: "waived" as const, byId: "sec" }];
    expect(decide(assessment({ checklist: waived }), "request_authorization", people.manager, input())).toMatchObject({
      allowed: true,
      to: "authorization",
    });
  });

  const authorization = (overrides: Partial<ChangeFacts> = {}) =>
    assessment({ state: "authorization", votes: [approve(people.cab1, "cab_member"), approve(people.cab2, "cab_member")], ...overrides });

  it.each([
    ["approvals missing", { votes: [approve(people.cab1, "cab_member")] }, "Waiting for 1 more CAB member approval."],
    ["no votes", { votes: [] }, "Waiting for 2 more CAB member approvals."],
    [
      "the requester's own vote",
      { votes: [approve(people.cab1, "cab_member"), approve(people.requester, "cab_member")] },
      "Waiting for 1 more CAB member approval.",
    ],
    [
      "a security veto",
      {
        flags: { ...draftChange().flags, touchesAuth: true },
        votes: [
          approve(people.cab1, "cab_member"),
          approve(people.cab2, "cab_member"),
          reject(people.security, "security_reviewer", "Session tokens are logged."),
        ],
      },
      "A security reviewer rejected this change: Session tokens are logged.",
    ],
    [
      "a freeze",
      { insideFreeze: true },
      "The planned window falls inside a change freeze; move it, or ask the change manager and a security reviewer for a freeze exception.",
    ],
  ])("schedule refuses with %s", (_label, overrides, reason) => {
    expect(reasonsOf(authorization(overrides), "schedule", people.manager)).toEqual([reason]);
  });

  it("schedules inside a freeze with an exception, but never a major change", () => {
    expect(decide(authorization({ insideFreeze: true, freezeExceptionGranted: true }), "schedule", people.manager, input()).allowed).toBe(
      true,
    );
    const major = authorization({
      type: "major",
      insideFreeze: true,
      freezeExceptionGranted: true,
      votes: [
        approve(people.cab1, "cab_member"),
        approve(people.cab2, "cab_member"),
        approve(people.cab3, "cab_member"),
        approve(people.security, "security_reviewer"),
        approve(people.manager2, "change_manager"),
      ],
    });
    expect(reasonsOf(major, "schedule", people.manager)).toEqual([
      "Major changes are never scheduled inside a change freeze; move the planned window.",
    ]);
  });

  it.each([
    ["start_assessment", "assess it"],
    ["request_authorization", "send it for authorization"],
    ["schedule", "authorize it"],
  ] as const)("refuses %s by a change manager who requested the change", (action, doing) => {
    const state = TRANSITIONS[action].steps.normal.from[0];
    const mine = authorization({ state, requesterId: people.manager.id });
    expect(reasonsOf(mine, action, people.manager)).toContain(
      `You requested this change, so you cannot ${doing}; someone independent must.`,
    );
  });

  it.each([people.requester, people.cab1, people.security, people.implementer, people.auditor, people.admin])(
    "refuses scheduling by %j",
    (actor) => {
      expect(reasonsOf(authorization(), "schedule", actor)[0]).toBe("Only a change manager can authorize and schedule this change.");
    },
  );
});

describe("guards on implementation, outcome and closure", () => {
  const scheduled = (overrides: Partial<ChangeFacts> = {}) =>
    draftChange("normal", {
      state: "scheduled",
      risk: { score: 10, level: "low", summary: "x" },
      implementerId: people.implementer.id,
      checklist: [...baseline, ...pre],
      ...overrides,
    });

  it.each([
    [
      "no implementer assigned",
      { implementerId: null },
      people.implementer,
      "No implementer is assigned to this change yet; the change manager assigns one.",
    ],
    [
      "someone other than the assigned implementer",
      {},
      people.implementer2,
      "Only the assigned implementer can start implementing this change.",
    ],
    [
      "the implementer who lost the role",
      {},
      { id: people.implementer.id, roles: ["requester"] as const },
      "You no longer hold the implementer role.",
    ],
    [
      "pre-implementation items unsigned",
      { checklist: baseline },
      people.implementer,
      "These items must be signed before implementation starts: Backup verified, Rollback plan tested.",
    ],
    [
      "a pre-implementation item only waived",
      { checklist: [...baseline, ...signed("backup_verified"), { key: "rollback_tested", status: "waived" as const, byId: "sec" }] },
      people.implementer,
      "These items must be signed before implementation starts: Rollback plan tested.",
    ],
  ])("start_implementation refuses with %s", (_label, overrides, actor, reason) => {
    expect(reasonsOf(scheduled(overrides), "start_implementation", actor, { now: IN_WINDOW })).toEqual([reason]);
  });

  it("refuses an emergency implementation without ECAB's two approvals", () => {
    const emergency = draftChange("emergency", {
      state: "authorization",
      implementerId: people.implementer.id,
      checklist: pre,
      votes: [approve(people.manager, "change_manager")],
    });
    expect(reasonsOf(emergency, "start_implementation", people.implementer, { now: IN_WINDOW })).toEqual([
      "Waiting for 1 more Security reviewer approval.",
    ]);
  });

  describe("starting outside the approved window (2026-03-05 20:00-21:00 UTC)", () => {
    const early = new Date("2026-03-05T19:59:59Z");
    const late = new Date("2026-03-05T21:00:01Z");
    it.each([
      [
        "before",
        early,
        "The approved window opens 2026-03-05 20:00 UTC: starting now is before it. Give the reason for starting outside the window; it is kept in the audit log.",
      ],
      [
        "after",
        late,
        "The approved window closed 2026-03-05 21:00 UTC: starting now is after it. Give the reason for starting outside the window; it is kept in the audit log.",
      ],
    ])("is refused %s it without a reason, or with a blank one", (_when, now, refusal) => {
      expect(reasonsOf(scheduled(), "start_implementation", people.implementer, { now })).toEqual([refusal]);
      expect(reasonsOf(scheduled(), "start_implementation", people.implementer, { now, reason: "  \n " })).toEqual([refusal]);
      expect(
        reasonsOf(
          draftChange("emergency", {
            state: "authorization",
            implementerId: people.implementer.id,
            checklist: pre,
            votes: [approve(people.manager, "change_manager"), approve(people.security, "security_reviewer")],
          }),
          "start_implementation",
          people.implementer,
          { now },
        ),
      ).toEqual([refusal]);
    });

    it.each([
      ["before", early, "before"],
      ["after", late, "after"],
    ] as const)("is allowed %s it with a reason, which the audit event keeps", (_when, now, side) => {
      expect(
        decide(
          scheduled(),
          "start_implementation",
          people.implementer,
          input({ now, reason: " The vendor's engineer is only free tonight. " }),
        ),
      ).toEqual({
        allowed: true,
        to: "implementing",
        audit: {
          action: "change.implementation_started",
          from: "scheduled",
          to: "implementing",
          reason: "The vendor's engineer is only free tonight.",
          details: { outsideWindow: side },
        },
      });
    });

    it.each([new Date("2026-03-05T20:00:00Z"), IN_WINDOW, new Date("2026-03-05T21:00:00Z")])(
      "asks nothing inside it, edges included: %s",
      (now) => {
        expect(decide(scheduled(), "start_implementation", people.implementer, input({ now }))).toEqual({
          allowed: true,
          to: "implementing",
          audit: { action: "change.implementation_started", from: "scheduled", to: "implementing", reason: null, details: {} },
        });
      },
    );
  });

  it("record_outcome needs the outcome", () => {
    expect(reasonsOf(scheduled({ state: "implementing" }), "record_outcome", people.implementer)).toEqual([
      "Record the outcome: successful, successful with issues, failed or rolled back.",
    ]);
    expect(
      decide(scheduled({ state: "implementing" }), "record_outcome", people.implementer, input({ outcome: "rolled_back" })),
    ).toMatchObject({ allowed: true, to: "review", audit: { action: "change.outcome_recorded", details: { outcome: "rolled_back" } } });
  });

  const review = (overrides: Partial<ChangeFacts> = {}) =>
    scheduled({ state: "review", outcome: "successful", review: GOOD_REVIEW, ...overrides });

  it.each([
    ["no review", review({ review: null }), ["Record the post-implementation review first."]],
    [
      "an unconfirmed review",
      review({ review: { ...GOOD_REVIEW, monitoringCovers: false, documentationUpdated: false } }),
      ["The post-implementation review must confirm that monitoring covers the change, documentation is updated."],
    ],
    [
      "a change that does not work as intended",
      review({ review: { ...GOOD_REVIEW, worksAsIntended: false } }),
      ["The post-implementation review must confirm that the change works as intended."],
    ],
    [
      "a failed change without root cause",
      review({ outcome: "failed", review: { ...GOOD_REVIEW, worksAsIntended: false } }),
      ["Record the root cause of the failed or rolled-back implementation."],
    ],
    [
      "a rolled-back change without root cause",
      review({ outcome: "rolled_back" }),
      ["Record the root cause of the failed or rolled-back implementation."],
    ],
    [
      "an emergency without root cause",
      review({ type: "emergency" }),
      ["Record the root cause that made this emergency change necessary."],
    ],
    [
      "an emergency without security validation",
      review({ type: "emergency", rootCause: "x", review: { ...GOOD_REVIEW, securityValidation: null } }),
      ["Record the retrospective security validation (log review and access-rights audit)."],
    ],
    [
      "open checklist items",
      review({ checklist: pre }),
      ["These checklist items are still open: Configuration compliant with the secure baseline."],
    ],
  ])("close refuses %s", (_label, change, reasons) => {
    expect(reasonsOf(change, "close", people.manager)).toEqual(reasons);
  });

  it("lets a failed change close once its root cause is recorded", () => {
    expect(
      decide(
        review({ outcome: "failed", rootCause: "Disk full.", review: { ...GOOD_REVIEW, worksAsIntended: false } }),
        "close",
        people.manager,
        input(),
      ).allowed,
    ).toBe(true);
  });

  it("refuses closing by the requester or implementer, even as change manager", () => {
    expect(reasonsOf(review({ requesterId: people.manager.id }), "close", people.manager)).toEqual([
      "You requested this change, so you cannot review and close it; someone independent must.",
    ]);
    expect(reasonsOf(review({ implementerId: people.manager.id }), "close", people.manager)).toEqual([
      "You are the implementer of this change, so you cannot review and close it; someone independent must.",
    ]);
  });
});

describe("side exits: reject, return for rework, cancel, withdraw", () => {
  it.each([
    ["reject", "Give a reason for the rejection."],
    ["return_for_rework", "Say what needs rework."],
    ["cancel", "Give a reason for cancelling."],
  ] as const)("%s needs a reason", (action, message) => {
    const change = draftChange("normal", { state: "assessment" });
    expect(reasonsOf(change, action, people.manager, { reason: "   " })).toEqual([message]);
    expect(decide(change, action, people.manager, input({ reason: "Out of scope." }))).toMatchObject({
      allowed: true,
      audit: { reason: "Out of scope." },
    });
  });

  it.each(CHANGE_TYPES)("%s changes can be cancelled or withdrawn before implementing, not after", (type) => {
    for (const state of CHANGE_STATES) {
      const change = draftChange(type, { state });
      const expected = (TRANSITIONS.withdraw.steps[type].from as readonly string[]).includes(state);
      expect(decide(change, "withdraw", people.requester, input()).allowed, `${type} ${state}`).toBe(expected);
      expect(decide(change, "cancel", people.manager, input({ reason: "No longer needed." })).allowed, `${type} ${state}`).toBe(expected);
    }
  });

  it("lets only the requester withdraw", () => {
    expect(reasonsOf(draftChange("normal", { state: "submitted" }), "withdraw", people.manager)).toEqual([
      "Only the requester can withdraw this change.",
    ]);
  });

  it("refuses rejection by a CAB member; they vote instead", () => {
    expect(reasonsOf(draftChange("normal", { state: "authorization" }), "reject", people.cab1, { reason: "No." })).toEqual([
      "Only a change manager can reject this change.",
    ]);
  });
});

describe("the transition table", () => {
  it.each(["closed", "rejected", "cancelled"] as const)("treats %s as terminal for every action and type", (state) => {
    for (const type of CHANGE_TYPES) {
      for (const action of Object.keys(TRANSITIONS) as ChangeAction[]) {
        const everyone = { id: "req", roles: ["requester", "change_manager", "implementer"] as const };
        expect(
          reasonsOf(draftChange(type, { state, implementerId: "req" }), action, everyone, { reason: "x", outcome: "successful" }),
        ).toEqual([`This change is ${state}; nothing more can happen to it.`]);
      }
    }
  });

  it.each([
    ["standard", "start_assessment", `Standard changes do not take the step "Start assessment".`],
    ["standard", "schedule", `Standard changes do not take the step "Authorize and schedule".`],
    ["emergency", "request_authorization", `Emergency changes do not take the step "Send for authorization".`],
    ["standard", "reject", `Standard changes do not take the step "Reject".`],
  ] as const)("%s changes skip %s", (type, action, reason) => {
    expect(reasonsOf(draftChange(type, { state: "submitted" }), action, people.manager, { reason: "x" })).toEqual([reason]);
  });

  it("refuses an action from the wrong state, naming where it applies", () => {
    expect(reasonsOf(draftChange("normal", { state: "scheduled" }), "submit", people.requester)).toEqual([
      `Not possible while the change is scheduled: "Submit" applies to draft changes.`,
    ]);
  });

  it("gives the states each path visits", () => {
    const visited = (type: (typeof CHANGE_TYPES)[number]) =>
      new Set(
        Object.values(TRANSITIONS).flatMap((t) => {
          const step = (t.steps as Partial<Record<string, { from: readonly string[]; to: string }>>)[type];
          return step ? [...step.from, step.to] : [];
        }),
      );
    expect([...visited("standard")].sort()).toEqual(["cancelled", "closed", "draft", "implementing", "review", "scheduled"]);
    expect([...visited("emergency")].sort()).toEqual([
      "authorization",
      "cancelled",
      "closed",
      "draft",
      "implementing",
      "rejected",
      "review",
    ]);
    expect([...visited("normal")].sort()).toEqual([...CHANGE_STATES].sort());
    expect([...visited("major")].sort()).toEqual([...CHANGE_STATES].sort());
  });
});
