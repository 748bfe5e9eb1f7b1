import { describe, expect, it } from "vitest";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { decideVote, type Principal } from "@/lib/domain/decide-vote";
import { delegationRefusals, isDelegationActive } from "@/lib/domain/delegation";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import type { Vote } from "@/lib/domain/vote";
import { approve, draftChange, people } from "./change-fixtures";

const deputy = { id: "deputy", roles: ["requester"] as const };
const onBehalf = (voter: { id: string }, of: { id: string }, role: Vote["role"]): Vote => ({
  voterId: voter.id,
  role,
  decision: "approve",
  comment: "",
  onBehalfOf: of.id,
});
const medium = draftChange("normal", { state: "authorization", risk: { score: 50, level: "medium", summary: "x" } });
const parties = { requesterId: people.requester.id, implementerId: people.implementer.id };
const principal = (p: { id: string; roles: readonly string[] }, active = true): Principal =>
  ({ id: p.id, roles: p.roles, name: `Name of ${p.id}`, kind: "user", delegationActive: active }) as Principal;

describe("a delegate's vote counts once, as the delegator's", () => {
  const requirement = requiredApprovals(medium);

  it("counts the delegate's vote for the delegator towards the policy", () => {
    const result = evaluateVotes(requirement, [approve(people.cab1, "cab_member"), onBehalf(deputy, people.cab2, "cab_member")], parties);
    expect(result.status).toBe("satisfied");
  });

  it("never counts delegate and delegator both: the second vote for one person is ignored", () => {
    for (const votes of [
      [approve(people.cab2, "cab_member"), onBehalf(deputy, people.cab2, "cab_member")],
      [onBehalf(deputy, people.cab2, "cab_member"), approve(people.cab2, "cab_member")],
    ]) {
      const result = evaluateVotes(requirement, votes, parties);
      expect(result.approvals).toHaveLength(1);
      expect(result.status).toBe("pending");
      expect(result.ignored[0]!.why).toBe("a second vote by the same person in this round");
    }
  });

  it("never counts a delegate twice: their own vote and one for someone else are one person's", () => {
    const delegateWithRole = people.cab3;
    const result = evaluateVotes(
      requirement,
      [onBehalf(delegateWithRole, people.cab2, "cab_member"), approve(delegateWithRole, "cab_member")],
      parties,
    );
    expect(result.approvals).toHaveLength(1);
  });

  it("ignores a vote cast for the requester", () => {
    const result = evaluateVotes(requirement, [onBehalf(deputy, people.requester, "cab_member")], parties);
    expect(result.approvals).toHaveLength(0);
    expect(result.ignored[0]!.why).toMatch(/cast for the requester/);
  });
});

describe("decideVote on behalf of a delegator", () => {
  const vote = { role: "cab_member" as const, decision: "approve" as const, comment: "" };

  it("allows an active delegate to vote in the delegator's role, recorded on behalf", () => {
    const decision = decideVote(medium, deputy, vote, principal(people.cab2));
    expect(decision.allowed).toBe(true);
    if (decision.allowed) expect(decision.audit.details).toMatchObject({ onBehalfOf: people.cab2.id, role: "cab_member" });
  });

  it("refuses a delegate who is the change's requester or implementer (segregation of duties per change)", () => {
    const asImplementer = decideVote({ ...medium, implementerId: people.implementer.id }, people.implementer, vote, principal(people.cab2));
    expect(asImplementer).toMatchObject({ allowed: false });
    if (!asImplementer.allowed) expect(asImplementer.reasons.join(" ")).toMatch(/implementer of this change/);
    expect(decideVote(medium, people.requester, vote, principal(people.cab2)).allowed).toBe(false);
    const forRequester = decideVote(medium, deputy, vote, principal({ id: people.requester.id, roles: ["cab_member"] }));
    expect(forRequester.allowed).toBe(false);
  });

  it("refuses an ended or not yet started delegation, a delegator without the role, a second vote", () => {
    expect(decideVote(medium, deputy, vote, principal(people.cab2, false)).allowed).toBe(false);
    expect(decideVote(medium, deputy, vote, principal(people.security)).allowed).toBe(false);
    const voted = { ...medium, votes: [approve(people.cab2, "cab_member")] };
    expect(decideVote(voted, deputy, vote, principal(people.cab2)).allowed).toBe(false);
    const votedFor = { ...medium, votes: [onBehalf(deputy, people.cab2, "cab_member")] };
    expect(decideVote(votedFor, people.cab2, vote).allowed).toBe(false);
  });

  it("refuses a service account as the voter whatever it claims", () => {
    expect(decideVote(medium, { ...deputy, kind: "service_account" }, vote, principal(people.cab2)).allowed).toBe(false);
  });
});

describe("naming a delegate", () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const base = {
    delegator: { id: "cab", roles: ["cab_member" as const], kind: "user" as const, active: true },
    delegate: { id: "d", roles: ["change_manager" as const], kind: "user" as const, active: true },
    startsAt: now,
    endsAt: new Date("2026-12-14T10:00:00Z"),
    now,
    overlaps: false,
  };
  it("accepts a person for a period", () => expect(delegationRefusals(base)).toEqual([]));
  it("refuses a service account as delegate, a self-delegation, a non-approver, an inverted or endless period, an overlap", () => {
    expect(delegationRefusals({ ...base, delegate: { ...base.delegate, kind: "service_account" } })).toContain(
      "A service account cannot be a delegate; only a person can.",
    );
    expect(delegationRefusals({ ...base, delegate: { ...base.delegate, id: "cab" } }).length).toBe(1);
    expect(delegationRefusals({ ...base, delegator: { ...base.delegator, roles: ["requester" as never] } }).length).toBe(1);
    expect(delegationRefusals({ ...base, endsAt: now }).length).toBeGreaterThan(0);
    expect(delegationRefusals({ ...base, endsAt: new Date("2027-06-01T00:00:00Z") }).length).toBe(1);
    expect(delegationRefusals({ ...base, overlaps: true }).length).toBe(1);
    expect(delegationRefusals({ ...base, delegate: { ...base.delegate, roles: ["auditor" as never] } })).toEqual([
      "Your delegate must be an approver too (a CAB member, security reviewer or change manager), who can read the changes they vote on.",
    ]);
  });
  it("is active from its start until its end or an early end", () => {
    const d = { startsAt: base.startsAt, endsAt: base.endsAt, endedAt: null };
    expect(isDelegationActive(d, new Date("2026-12-07T09:59:59Z"))).toBe(false);
    expect(isDelegationActive(d, now)).toBe(true);
    expect(isDelegationActive(d, base.endsAt)).toBe(false);
    expect(isDelegationActive({ ...d, endedAt: now }, new Date("2026-12-08T00:00:00Z"))).toBe(false);
  });
});
