import { describe, expect, it } from "vitest";
import { CLASSIFYING_FIELDS, editedFields } from "@/lib/domain/change-edits";
import type { ActorFacts } from "@/lib/domain/change-facts";
import type { ChangeState } from "@/lib/domain/change-states";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { decideEdit } from "@/lib/domain/decide-edit";
import { decideApproveFreezeException, EXCEPTION_APPROVER_ROLES, type StoredFreezeException } from "@/lib/domain/decide-freeze-exception";
import { decideReschedule } from "@/lib/domain/decide-reschedule";
import type { Role } from "@/lib/domain/roles";
import { draftChange, NOW, people } from "./change-fixtures";

// Issue 28 item 3: the requester or implementer of a change never reclassifies, re-scopes or
// reschedules it after submission, whatever other roles they hold (domain.md).
const PARTIES = { requester: people.requester.id, implementer: people.implementer.id, independent: "someone-else" } as const;
const ROLE_SETS: readonly (readonly Role[])[] = [
  ["requester"],
  ["change_manager"],
  ["requester", "change_manager"],
  ["change_manager", "implementer"],
  ["change_manager", "security_reviewer", "cab_member"],
  ["cab_member"],
  ["admin"],
  ["requester", "change_manager", "cab_member", "security_reviewer", "implementer", "auditor", "admin"],
];
const DESCRIPTIVE = ["title", "description", "justification", "implementationPlan", "backoutPlan", "testPlan", "emergencyJustification"];
const CLASSIFYING = Object.keys(CLASSIFYING_FIELDS);
const STATES: readonly ChangeState[] = ["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "closed"];

const isManager = (roles: readonly Role[]) => roles.includes("change_manager");
const files = (roles: readonly Role[]) => roles.includes("requester") || isManager(roles);
const PARTY_WORDS = { requester: "You requested this change", implementer: "You are the implementer of this change" } as const;

// The rule as the issue states it, written independently of decideEdit.
function expectedEdit(party: keyof typeof PARTIES, roles: readonly Role[], state: ChangeState, field: string): true | string {
  if (state === "draft")
    return party === "requester" && files(roles)
      ? true
      : party === "requester"
        ? "Your account may no longer file or edit changes."
        : "Only the requester can edit a draft.";
  // Authorized: only the artifact set may change (alone), by the requester or a change manager; it goes back for approval.
  if ((state === "scheduled" || state === "implementing") && field === "artifacts")
    return party === "requester" || isManager(roles)
      ? true
      : "Only the requester or a change manager can change an authorized change's artifacts.";
  if (state !== "submitted" && state !== "assessment") return "cannot be edited";
  if (!isManager(roles)) return "Only a change manager can edit a change under assessment";
  if (party === "independent" || DESCRIPTIVE.includes(field)) return true;
  return `${PARTY_WORDS[party]}, so you cannot reclassify, re-scope or reschedule it (${CLASSIFYING_FIELDS[field as keyof typeof CLASSIFYING_FIELDS]}); someone independent must.`;
}

const combinations = Object.keys(PARTIES).flatMap((party) =>
  ROLE_SETS.flatMap((roles) => STATES.map((state) => [party as keyof typeof PARTIES, roles, state] as const)),
);

describe("decideEdit: who may change which field, in which state", () => {
  it.each(combinations)("the %s holding %j, on a %s change", (party, roles, state) => {
    const change = draftChange("normal", { state, implementerId: people.implementer.id });
    const actor: ActorFacts = { id: PARTIES[party], roles };
    for (const field of [...CLASSIFYING, ...DESCRIPTIVE]) {
      const decision = decideEdit(change, actor, [field]);
      const expected = expectedEdit(party, roles, state, field);
      if (expected === true) expect(decision.allowed, field).toBe(true);
      else expect(decision.allowed ? "allowed" : decision.reasons.join(" "), field).toContain(expected);
    }
  });

  it("refuses a party's edit that mixes wording with reclassification, naming every classifying field in the form's order", () => {
    const change = draftChange("normal", { state: "assessment" });
    const decision = decideEdit(change, { id: people.requester.id, roles: ["change_manager"] }, [
      "ciIds",
      "description",
      "touchesAuth",
      "type",
    ]);
    expect(decision).toEqual({
      allowed: false,
      reasons: [
        "You requested this change, so you cannot reclassify, re-scope or reschedule it (type, configuration items, touches authentication); someone independent must.",
      ],
    });
    expect(decideEdit(change, { id: people.requester.id, roles: ["change_manager"] }, ["description", "title"]).allowed).toBe(true);
    expect(decideEdit(change, { id: people.requester.id, roles: ["change_manager"] }, []).allowed).toBe(true);
  });
});

describe("editedFields: what an edit changes", () => {
  const before = {
    title: "T",
    templateId: null,
    artifactDigest: null,
    plannedStart: new Date("2026-03-05T20:00:12.345Z"),
    ciIds: ["b", "a"],
    frameworkTags: ["pci_dss", "gdpr"],
    cves: [{ cveId: "CVE-2026-1", cvssBaseScore: 9.8, knownExploited: true }],
    touchesAuth: true,
  };
  it("sees nothing in a round trip through the form: blanks, the minute, set order and repeats", () => {
    const after = {
      ...before,
      templateId: "",
      artifactDigest: "",
      plannedStart: new Date("2026-03-05T20:00:00Z"),
      ciIds: ["a", "b", "a"],
      frameworkTags: ["gdpr", "pci_dss"],
      cves: [{ knownExploited: true, cvssBaseScore: 9.8, cveId: "CVE-2026-1" }],
    };
    expect(editedFields(before, after)).toEqual([]);
  });
  it("names each field whose value changed, sorted", () => {
    const after = {
      ...before,
      touchesAuth: false,
      plannedStart: new Date("2026-03-05T20:01:00Z"),
      ciIds: ["a"],
      cves: [{ ...before.cves[0]!, knownExploited: false }],
      title: "U",
    };
    expect(editedFields(before, after)).toEqual(["ciIds", "cves", "plannedStart", "title", "touchesAuth"]);
    expect(editedFields({ ...before, templateId: null }, { ...before, templateId: "tpl" })).toEqual(["templateId"]);
  });
});

describe("decideReschedule: never by a party to the change", () => {
  const window = { start: new Date("2026-03-10T20:00:00Z"), end: new Date("2026-03-10T21:00:00Z") };
  it.each(combinations.filter(([, , state]) => state === "authorization" || state === "scheduled"))(
    "the %s holding %j, on a %s change",
    (party, roles, state) => {
      const decision = decideReschedule(
        draftChange("normal", { state, implementerId: people.implementer.id }),
        { id: PARTIES[party], roles },
        window,
        NOW,
        [],
      );
      if (!isManager(roles)) expect(decision).toEqual({ allowed: false, reasons: ["Only a change manager can reschedule a change."] });
      else if (party === "independent") expect(decision.allowed).toBe(true);
      else
        expect(decision).toEqual({
          allowed: false,
          reasons: [`${PARTY_WORDS[party]}, so you cannot reschedule it; someone independent must.`],
        });
    },
  );
});

describe("a freeze exception's approvers and the implementer", () => {
  const frozen = draftChange("normal", { state: "authorization", insideFreeze: true });
  const exception = (extra: Partial<StoredFreezeException> = {}): StoredFreezeException => ({
    requestedById: people.requester.id,
    windowStart: frozen.plannedStart!,
    windowEnd: frozen.plannedEnd!,
    managerApproverId: null,
    securityApproverId: null,
    ...extra,
  });
  const candidate: ActorFacts = { id: "approver", roles: ["implementer", "change_manager", "security_reviewer"] };

  it.each([
    ["the change manager who approved it", { managerApproverId: "approver" }, false],
    ["the security reviewer who approved it", { securityApproverId: "approver" }, false],
    ["someone else, with both approvals given", { managerApproverId: "cm", securityApproverId: "sec" }, true],
  ] as const)("assigning %s as implementer", (_label, approvals, allowed) => {
    const decision = decideAssignImplementer(frozen, people.manager, candidate, exception(approvals));
    if (allowed) expect(decision.allowed).toBe(true);
    else
      expect(decision).toEqual({
        allowed: false,
        reasons: ["The person chosen approved this change's freeze exception; they cannot implement it."],
      });
  });

  it("assigns as before when there is no exception", () => {
    expect(decideAssignImplementer(frozen, people.manager, candidate, null).allowed).toBe(true);
  });

  it.each(ROLE_SETS.flatMap((roles) => EXCEPTION_APPROVER_ROLES.map((role) => [roles, role] as const)))(
    "the implementer holding %j never approves as %s",
    (roles, role) => {
      const change = { ...frozen, implementerId: "impl-approver" };
      const decision = decideApproveFreezeException(change, { id: "impl-approver", roles: [...roles, role] }, role, exception());
      expect(decision.allowed ? "allowed" : decision.reasons.join(" ")).toContain(
        "You are the implementer of this change, so you cannot approve its freeze exception",
      );
    },
  );
});
