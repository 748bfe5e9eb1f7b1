import { describe, expect, it } from "vitest";
import { CAB_QUORUM, requiredApprovals, type PolicyInput } from "@/lib/domain/approval-policy";
import { NO_FLAGS } from "@/lib/domain/change-flags";
import { decideVote } from "@/lib/domain/decide-vote";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import type { RiskLevel } from "@/lib/domain/risk-levels";
import { approve, draftChange, people, reject } from "./change-fixtures";

const risk = (level: RiskLevel, summary = "internet-facing CI with criticality 4") => ({ level, summary });
const rulesOf = (input: PolicyInput) => requiredApprovals(input).rules.map((r) => [r.role, r.count]);

describe("approval policy rows", () => {
  it.each([
    ["normal", "low", [["change_manager", 1]]],
    ["normal", "medium", [["cab_member", 2]]],
    [
      "normal",
      "high",
      [
        ["cab_member", 3],
        ["security_reviewer", 1],
      ],
    ],
    [
      "normal",
      "critical",
      [
        ["cab_member", 3],
        ["security_reviewer", 1],
        ["change_manager", 1],
      ],
    ],
    [
      "major",
      "low",
      [
        ["cab_member", 3],
        ["security_reviewer", 1],
        ["change_manager", 1],
      ],
    ],
    [
      "major",
      "critical",
      [
        ["cab_member", 3],
        ["security_reviewer", 1],
        ["change_manager", 1],
      ],
    ],
    [
      "emergency",
      "low",
      [
        ["change_manager", 1],
        ["security_reviewer", 1],
      ],
    ],
    [
      "emergency",
      "critical",
      [
        ["change_manager", 1],
        ["security_reviewer", 1],
      ],
    ],
    ["standard", "low", []],
  ] as const)("%s change, %s risk", (type, level, expected) => {
    expect(rulesOf({ type, risk: risk(level), flags: NO_FLAGS })).toEqual(expected);
  });

  it("has a quorum of 3", () => {
    expect(CAB_QUORUM).toBe(3);
  });

  it("says why, in words the UI shows", () => {
    const result = requiredApprovals({ type: "normal", risk: risk("high"), flags: NO_FLAGS });
    expect(result.rules.map((r) => r.reason)).toEqual([
      "High risk: internet-facing CI with criticality 4: CAB quorum of 3",
      "High risk: internet-facing CI with criticality 4: a security reviewer approves",
    ]);
    expect(result.summary).toBe("Needs approval from 3 CAB members, a security reviewer.");
    expect(requiredApprovals({ type: "standard", risk: risk("low"), flags: NO_FLAGS })).toEqual({
      preApproved: true,
      rules: [],
      summary: "Pre-approved through its standard-change template.",
    });
  });

  it("treats an unassessed normal change as critical, never as needing less", () => {
    const result = requiredApprovals({ type: "normal", risk: null, flags: NO_FLAGS });
    expect(result.rules.map((r) => [r.role, r.count])).toEqual([
      ["cab_member", 3],
      ["security_reviewer", 1],
      ["change_manager", 1],
    ]);
    expect(result.rules[0]!.reason).toMatch(/^Risk not assessed yet, so treated as critical/);
  });

  it.each([
    ["touchesAuth", "Touches authentication or access control: a security reviewer approves"],
    ["newExternalInterface", "Adds an external interface or data flow: a security reviewer approves"],
    ["regulatedData", "Handles regulated data: a security reviewer approves"],
  ] as const)("adds a security reviewer for %s at low and medium risk", (flag, reason) => {
    for (const level of ["low", "medium"] as const) {
      const rules = requiredApprovals({ type: "normal", risk: risk(level), flags: { ...NO_FLAGS, [flag]: true } }).rules;
      expect(rules.at(-1)).toEqual({ role: "security_reviewer", count: 1, reason });
    }
    expect(rulesOf({ type: "normal", risk: risk("high"), flags: { ...NO_FLAGS, [flag]: true } })).toEqual([
      ["cab_member", 3],
      ["security_reviewer", 1],
    ]);
  });
});

describe("evaluateVotes", () => {
  const parties = { requesterId: people.requester.id, implementerId: people.implementer.id };
  const high = requiredApprovals({ type: "normal", risk: risk("high"), flags: NO_FLAGS });
  const emergency = requiredApprovals({ type: "emergency", risk: risk("high"), flags: NO_FLAGS });
  const quorum = [approve(people.cab1, "cab_member"), approve(people.cab2, "cab_member"), approve(people.cab3, "cab_member")];

  it("is satisfied when every rule has its approvals", () => {
    expect(evaluateVotes(high, [...quorum, approve(people.security, "security_reviewer")], parties)).toMatchObject({
      status: "satisfied",
      missing: [],
    });
  });

  it("says what is missing while pending", () => {
    const result = evaluateVotes(high, quorum.slice(0, 1), parties);
    expect(result.status).toBe("pending");
    expect(result.missing.map((m) => [m.role, m.needed])).toEqual([
      ["cab_member", 2],
      ["security_reviewer", 1],
    ]);
    expect(result.summary).toBe("Waiting for 2 more CAB member approvals and 1 more Security reviewer approval.");
  });

  it("treats a security reviewer's rejection as a veto, whatever else is in", () => {
    const result = evaluateVotes(
      high,
      [
        ...quorum,
        approve(people.security, "security_reviewer"),
        reject({ id: "sec2", roles: [] }, "security_reviewer", "No threat model."),
      ],
      parties,
    );
    expect(result).toMatchObject({ status: "rejected", summary: "A security reviewer rejected this change: No threat model." });
  });

  it("records a CAB member's rejection without letting it veto", () => {
    const result = evaluateVotes(
      high,
      [...quorum, reject({ id: "cab4", roles: [] }, "cab_member", "Risky."), approve(people.security, "security_reviewer")],
      parties,
    );
    expect(result.status).toBe("satisfied");
    expect(result.rejections).toHaveLength(1);
  });

  it("does not count abstentions", () => {
    expect(
      evaluateVotes(
        high,
        [
          ...quorum.slice(0, 2),
          { voterId: "cab3", role: "cab_member", decision: "abstain", comment: "" },
          approve(people.security, "security_reviewer"),
        ],
        parties,
      ).status,
    ).toBe("pending");
  });

  it.each([
    ["the requester", approve(people.requester, "cab_member"), "cast by the requester, who may not approve their own change"],
    ["the implementer", approve(people.implementer, "cab_member"), "cast by the implementer, who may not approve their own change"],
    ["a second vote by one person", approve(people.cab1, "cab_member"), "a second vote by the same person in this round"],
    ["a role the policy does not ask for", approve(people.manager, "change_manager"), "this change needs no Change manager vote"],
  ])("ignores a vote by %s", (_label, vote, why) => {
    const result = evaluateVotes(high, [...quorum.slice(0, 2), approve(people.security, "security_reviewer"), vote], parties);
    expect(result.status).toBe("pending");
    expect(result.ignored).toEqual([{ vote, why }]);
  });

  it("never lets one person fill both emergency roles", () => {
    const both = { id: "both", roles: ["change_manager", "security_reviewer"] as const };
    expect(evaluateVotes(emergency, [approve(both, "change_manager"), approve(both, "security_reviewer")], parties).status).toBe("pending");
    expect(
      evaluateVotes(emergency, [approve(people.manager, "change_manager"), approve(people.security, "security_reviewer")], parties).status,
    ).toBe("satisfied");
  });

  it("ignores a requester's veto too", () => {
    expect(evaluateVotes(emergency, [reject(people.requester, "security_reviewer", "changed my mind")], parties).status).toBe("pending");
  });
});

describe("decideVote", () => {
  const awaiting = draftChange("normal", {
    state: "authorization",
    risk: { score: 60, level: "high", summary: "x" },
    implementerId: people.implementer.id,
    approvalRound: 2,
  });

  it("accepts a vote and describes its one audit event", () => {
    expect(decideVote(awaiting, people.cab1, { role: "cab_member", decision: "approve", comment: " Fine. " })).toEqual({
      allowed: true,
      to: "authorization",
      audit: {
        action: "change.vote_cast",
        from: "authorization",
        to: "authorization",
        reason: "Fine.",
        details: { role: "cab_member", decision: "approve", round: 2 },
      },
    });
  });

  it.each([
    [
      "a role the voter does not hold",
      awaiting,
      people.cab1,
      { role: "security_reviewer", decision: "approve", comment: "" },
      ["You do not hold the Security reviewer role."],
    ],
    [
      "a role the policy does not need",
      awaiting,
      people.manager,
      { role: "change_manager", decision: "approve", comment: "" },
      ["This change does not need a Change manager vote. Needs approval from 3 CAB members, a security reviewer."],
    ],
    [
      "the requester",
      awaiting,
      { id: people.requester.id, roles: ["cab_member"] },
      { role: "cab_member", decision: "approve", comment: "" },
      ["You requested this change, so you cannot vote on it; someone independent must."],
    ],
    [
      "the implementer",
      awaiting,
      { id: people.implementer.id, roles: ["cab_member"] },
      { role: "cab_member", decision: "approve", comment: "" },
      ["You are the implementer of this change, so you cannot vote on it; someone independent must."],
    ],
    [
      "a second vote in the round",
      { ...awaiting, votes: [approve(people.cab1, "cab_member")] },
      people.cab1,
      { role: "cab_member", decision: "reject", comment: "Changed my mind." },
      ["You already voted in this approval round; one vote per person."],
    ],
    [
      "a rejection without reason",
      awaiting,
      people.cab1,
      { role: "cab_member", decision: "reject", comment: "  " },
      ["Give a reason for rejecting the change."],
    ],
    [
      "a change not awaiting authorization",
      { ...awaiting, state: "scheduled" },
      people.cab1,
      { role: "cab_member", decision: "approve", comment: "" },
      ["Votes are taken while a change awaits authorization; this one is scheduled."],
    ],
    [
      "a standard change",
      draftChange("standard", { state: "scheduled" }),
      people.cab1,
      { role: "cab_member", decision: "approve", comment: "" },
      ["Standard changes are pre-approved by their template; there is nothing to vote on."],
    ],
    [
      "an admin",
      awaiting,
      people.admin,
      { role: "cab_member", decision: "approve", comment: "" },
      ["You do not hold the CAB member role."],
    ],
  ] as const)("refuses %s", (_label, change, actor, vote, reasons) => {
    expect(decideVote(change, actor, vote)).toEqual({ allowed: false, reasons });
  });
});
