import { describe, expect, it } from "vitest";
import type { ApproverFacts } from "@/lib/domain/change-facts";
import { decideApproveFreezeException } from "@/lib/domain/decide-freeze-exception";
import { decideSignOff } from "@/lib/domain/decide-sign-off";
import { decideVote } from "@/lib/domain/decide-vote";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import type { Decision } from "@/lib/domain/decision";
import type { Role } from "@/lib/domain/roles";
import { decideApproval } from "@/lib/domain/template-rules";
import { draftChange, people } from "./change-fixtures";

// Each step is allowed to a person holding every role it needs, and refused to a service account
// with exactly the same id and roles: the refusal comes from the account's kind alone.
const ALL_ROLES: Role[] = ["change_manager", "cab_member", "security_reviewer"];
const person: ApproverFacts = { id: "outsider", roles: ALL_ROLES, kind: "user" };
const bot: ApproverFacts = { ...person, kind: "service_account" };

const awaiting = draftChange("normal", {
  state: "authorization",
  risk: { score: 60, level: "high", summary: "x" },
  implementerId: people.implementer.id,
  approvalRound: 1,
  flags: { ...draftChange().flags, touchesAuth: true },
});
const frozen = draftChange("normal", { state: "authorization", insideFreeze: true, implementerId: people.implementer.id });
const asked = {
  requestedById: people.requester.id,
  windowStart: frozen.plannedStart!,
  windowEnd: frozen.plannedEnd!,
  managerApproverId: null,
  securityApproverId: null,
};
const waiver = { compensatingControl: "WAF rule blocks the endpoint.", residualRisk: "Low: internal callers only." };

const steps: [string, (actor: ApproverFacts) => Decision, string][] = [
  ["vote", (a) => decideVote(awaiting, a, { role: "cab_member", decision: "approve", comment: "" }), "vote on a change"],
  ["sign off", (a) => decideSignOff(awaiting, a, "sast_dast", "Reports attached."), "sign off a checklist item"],
  ["waive", (a) => decideWaiver(awaiting, a, "sast_dast", waiver), "waive a checklist item"],
  ["approve a freeze exception", (a) => decideApproveFreezeException(frozen, a, "change_manager", asked), "approve a freeze exception"],
];

describe("a service account is not a person", () => {
  it.each(steps)("may not %s, though a person with the same roles may", (_step, decide, doing) => {
    expect(decide(person).allowed).toBe(true);
    expect(decide(bot)).toEqual({ allowed: false, reasons: [`A service account cannot ${doing}; only a person can.`] });
  });

  it("may not approve a template, though a person with the same roles may", () => {
    const proposed = { status: "proposed" as const, proposedById: "someone" };
    expect(decideApproval(person, proposed).allowed).toBe(true);
    expect(decideApproval(bot, proposed)).toEqual({
      allowed: false,
      reason: "A service account cannot approve a template; only a person can.",
    });
  });
});
