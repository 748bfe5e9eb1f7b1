import { describe, expect, it } from "vitest";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import { NO_FLAGS, type ChangeFlags } from "@/lib/domain/change-flags";
import { applicableItems, checklistItem, checklistStatus, CHECKLIST_ITEMS } from "@/lib/domain/checklist";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { decideEdit } from "@/lib/domain/decide-edit";
import { decideSignOff } from "@/lib/domain/decide-sign-off";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import { approve, draftChange, people, signed } from "./change-fixtures";

const keys = (type: ChangeFacts["type"], flags: Partial<ChangeFlags> = {}, level: "low" | "critical" = "low") =>
  applicableItems({ type, flags: { ...NO_FLAGS, ...flags }, risk: { score: 0, level, summary: "" } }).map((i) => i.key);

const ALWAYS = ["backup_verified", "rollback_tested", "secure_baseline"];

describe("checklist applicability", () => {
  it.each([
    ["normal", ALWAYS],
    ["emergency", ALWAYS],
    ["major", [...ALWAYS, "threat_model"]],
    ["standard", []],
  ] as const)("a %s change with no flags gets %j", (type, expected) => {
    expect(keys(type)).toEqual(expected);
  });

  it.each([
    [{ newExternalInterface: true }, ["threat_model"]],
    [{ touchesAuth: true }, ["sast_dast"]],
    [{ regulatedData: true }, ["compliance_regulated"]],
    [{ regulatedData: true, frameworkTags: ["pci_dss", "hipaa", "pci_dss"] }, ["compliance_pci_dss", "compliance_hipaa"]],
    [{ infraProvisioning: true }, ["hardened_template", "no_default_credentials"]],
    [{ releaseArtifact: true }, ["signed_artifact", "vulnerability_scan", "no_secrets_or_debug"]],
    [{ temporaryAccess: true }, ["access_expiry_set"]],
  ])("flags %j add %j", (flags, added) => {
    expect(keys("normal", flags)).toEqual([...ALWAYS, ...added]);
    expect(keys("standard", flags)).toEqual(added);
  });

  it("asks for a threat model at critical risk", () => {
    expect(keys("normal", {}, "critical")).toEqual([...ALWAYS, "threat_model"]);
  });

  it("says why each item applies and who signs it", () => {
    const [item] = applicableItems({
      type: "normal",
      flags: { ...NO_FLAGS, regulatedData: true, frameworkTags: ["pci_dss"] },
      risk: null,
    }).slice(-1);
    expect(item).toEqual({
      key: "compliance_pci_dss",
      title: "Compliance validation (PCI DSS)",
      signerRole: "security_reviewer",
      evidence: "the PCI DSS control checklist and the assessor's sign-off",
      preImplementation: false,
      because: "it handles regulated data",
    });
  });

  it("lets only the readiness items be pre-implementation, and no item be signed by a requester", () => {
    const all = Object.keys(CHECKLIST_ITEMS).map((k) => checklistItem(k)!);
    expect(all.filter((i) => i.preImplementation).map((i) => i.key)).toEqual(["backup_verified", "rollback_tested"]);
    expect(all.every((i) => i.signerRole !== "requester" && i.evidence.length > 10)).toBe(true);
    expect(checklistItem("compliance_hipaa")!.title).toBe("Compliance validation (HIPAA)");
    expect(checklistItem("compliance_")).toBeNull();
    expect(checklistItem("nonsense")).toBeNull();
  });

  it("reports status: all signed or waived?", () => {
    const change = draftChange("normal", {
      checklist: [...signed("backup_verified"), { key: "secure_baseline", status: "waived", byId: "sec" }],
    });
    expect(checklistStatus(change)).toMatchObject({ complete: false, done: 2, total: 3 });
    expect(checklistStatus(change).open.map((i) => i.key)).toEqual(["rollback_tested"]);
    expect(checklistStatus({ ...change, checklist: [...change.checklist, ...signed("rollback_tested")] }).complete).toBe(true);
  });
});

describe("sign-offs and waivers", () => {
  const change = draftChange("normal", {
    state: "assessment",
    implementerId: people.implementer.id,
    flags: { ...NO_FLAGS, touchesAuth: true },
  });

  it("records a sign-off with its evidence", () => {
    expect(decideSignOff(change, people.security, "sast_dast", "Reports #12 and #13, no highs.")).toEqual({
      allowed: true,
      to: "assessment",
      audit: {
        action: "checklist.signed_off",
        from: "assessment",
        to: "assessment",
        reason: null,
        details: { key: "sast_dast", title: "SAST and DAST results", evidence: "Reports #12 and #13, no highs." },
      },
    });
    expect(decideSignOff(change, people.manager, "backup_verified", "Restore test 2026-03-01.").allowed).toBe(true);
  });

  it.each([
    [
      "a requester signing a security item",
      change,
      { id: "other-req", roles: ["requester"] },
      "sast_dast",
      "x",
      [`Only a security reviewer can sign off "SAST and DAST results".`],
    ],
    [
      "the change's requester, even as security reviewer",
      change,
      { id: people.requester.id, roles: ["requester", "security_reviewer"] },
      "sast_dast",
      "x",
      ["You requested this change, so you cannot sign off its checklist items; someone independent must."],
    ],
    [
      "the implementer",
      change,
      { id: people.implementer.id, roles: ["implementer", "change_manager"] },
      "backup_verified",
      "x",
      ["You are the implementer of this change, so you cannot sign off its checklist items; someone independent must."],
    ],
    [
      "missing evidence",
      change,
      people.security,
      "sast_dast",
      " ",
      ["Describe the evidence: the static and dynamic scan reports with no open high findings."],
    ],
    ["an item that does not apply", change, people.security, "threat_model", "x", ["This checklist item does not apply to this change."]],
    [
      "an item already signed",
      { ...change, checklist: signed("sast_dast") },
      people.security,
      "sast_dast",
      "x",
      [`"SAST and DAST results" is already signed off.`],
    ],
    [
      "a draft",
      { ...change, state: "draft" },
      people.security,
      "sast_dast",
      "x",
      ["Checklist items are signed while a change is in progress; this one is draft."],
    ],
    [
      "a closed change",
      { ...change, state: "closed" },
      people.security,
      "sast_dast",
      "x",
      ["Checklist items are signed while a change is in progress; this one is closed."],
    ],
  ] as const)("refuses a sign-off by %s", (_label, c, actor, key, evidence, reasons) => {
    expect(decideSignOff(c, actor, key, evidence)).toEqual({ allowed: false, reasons });
  });

  const waiver = { compensatingControl: "WAF rule blocks the endpoint.", residualRisk: "Low: internal callers only." };

  it("records a waiver with compensating control and residual risk", () => {
    expect(decideWaiver(change, people.security, "sast_dast", waiver)).toMatchObject({
      allowed: true,
      audit: {
        action: "checklist.waived",
        reason: "WAF rule blocks the endpoint.",
        details: { key: "sast_dast", compensatingControl: "WAF rule blocks the endpoint.", residualRisk: "Low: internal callers only." },
      },
    });
  });

  it.each([
    ["a change manager", people.manager, "sast_dast", waiver, ["Only a security reviewer can grant a waiver."]],
    [
      "the requester",
      { id: people.requester.id, roles: ["security_reviewer"] },
      "sast_dast",
      waiver,
      ["You requested this change, so you cannot waive its checklist items; someone independent must."],
    ],
    [
      "the implementer",
      { id: people.implementer.id, roles: ["security_reviewer"] },
      "sast_dast",
      waiver,
      ["You are the implementer of this change, so you cannot waive its checklist items; someone independent must."],
    ],
    [
      "no compensating control",
      people.security,
      "sast_dast",
      { ...waiver, compensatingControl: "" },
      ["Describe the compensating control that stands in for this item."],
    ],
    [
      "no residual risk",
      people.security,
      "sast_dast",
      { ...waiver, residualRisk: " " },
      ["Describe the residual risk that remains with the waiver."],
    ],
    [
      "a pre-implementation item",
      people.security,
      "backup_verified",
      waiver,
      [`"Backup verified" cannot be waived; it must be signed before implementation starts.`],
    ],
  ] as const)("refuses a waiver by or without %s", (_label, actor, key, w, reasons) => {
    expect(decideWaiver(change, actor, key, w)).toEqual({ allowed: false, reasons });
  });
});

describe("assigning the implementer and editing", () => {
  const change = draftChange("normal", {
    state: "authorization",
    votes: [approve(people.cab1, "cab_member")],
    checklist: [{ key: "secure_baseline", status: "signed", byId: "signer" }],
  });

  it("lets a change manager assign an independent implementer", () => {
    expect(decideAssignImplementer(change, people.manager, people.implementer, null)).toMatchObject({
      allowed: true,
      audit: { action: "change.implementer_assigned", details: { implementerId: "impl", previousImplementerId: null } },
    });
  });

  it.each([
    ["by a non-manager", people.cab2, people.implementer, "Only a change manager can assign the implementer."],
    ["someone without the implementer role", people.manager, people.cab2, "The person chosen does not hold the implementer role."],
    [
      "the requester",
      people.manager,
      { id: people.requester.id, roles: ["implementer"] },
      "The requester cannot implement their own change; choose someone else.",
    ],
    [
      "someone who voted",
      people.manager,
      { id: people.cab1.id, roles: ["implementer"] },
      "The person chosen voted on this change; an approver cannot implement it.",
    ],
    [
      "someone who signed off",
      people.manager,
      { id: "signer", roles: ["implementer"] },
      "The person chosen signed off or waived checklist items on this change; they cannot implement it.",
    ],
  ] as const)("refuses assigning %s", (_label, actor, candidate, reason) => {
    expect(decideAssignImplementer(change, actor, candidate, null)).toEqual({ allowed: false, reasons: [reason] });
  });

  it("refuses reassignment once work started", () => {
    expect(decideAssignImplementer({ ...change, state: "implementing" }, people.manager, people.implementer, null)).toEqual({
      allowed: false,
      reasons: ["The implementer cannot change once the change is implementing."],
    });
  });

  it.each([
    ["draft", people.requester, true],
    ["draft", people.manager, false],
    ["assessment", people.manager, true],
    ["assessment", people.requester, false],
    ["authorization", people.manager, false],
    ["closed", people.manager, false],
  ] as const)("editing a %s change by %j: %s", (state, actor, allowed) => {
    expect(decideEdit(draftChange("normal", { state }), actor, []).allowed).toBe(allowed);
  });
});
