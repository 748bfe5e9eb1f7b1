import { describe, expect, it } from "vitest";
import { mapControls, type EvidenceRecord } from "@/lib/domain/control-mapping";
import { fieldChanges } from "@/lib/domain/field-changes";

const at = new Date("2026-11-20T10:00:00Z");
const closedNormal: EvidenceRecord = {
  type: "normal",
  state: "closed",
  title: "Rotate certificates",
  description: "Replace the chain.",
  justification: "Expiring.",
  implementationPlan: "Deploy, reload.",
  backoutPlan: "Restore the old chain.",
  testPlan: "openssl s_client.",
  backoutTestedById: "mgr",
  frameworkTags: [],
  riskScore: 42,
  riskLevel: "medium",
  riskAssessedAt: at,
  requesterId: "req",
  implementerId: "impl",
  implementerName: "Ines",
  cis: [{ name: "edge-proxy", environment: "production" }],
  template: null,
  authorizedAt: at,
  approvals: [
    { voterId: "cab1", voterName: "Casey", role: "cab_member" },
    { voterId: "mgr", voterName: "Morgan", role: "change_manager" },
  ],
  checklist: [
    { key: "backup_verified", title: "Backup verified", status: "signed", signedById: "mgr", signedByName: "Morgan" },
    { key: "secure_baseline", title: "Secure baseline", status: "waived", signedById: "sec", signedByName: "Sam" },
  ],
  implementedAt: at,
  outcome: "successful",
  outcomeNotes: "Done.",
  implementationActorIds: ["impl", "impl"],
  review: { reviewedAt: at, reviewedByName: "Morgan", securityValidation: null },
  rootCause: null,
  audit: { events: 12, hashesVerified: 12 },
};
const status = (r: EvidenceRecord) => Object.fromEntries(mapControls(r).map((c) => [c.control, c.status]));

describe("control mapping of a change record", () => {
  it("a closed, approved, implemented and reviewed normal change evidences every applicable control", () => {
    expect(status(closedNormal)).toEqual({
      "CM-3": "evidenced",
      "CM-4": "evidenced",
      "CM-5": "evidenced",
      "A.8.32": "evidenced",
      "CC8.1": "evidenced",
      "6.5.1": "evidenced",
      "6.5.2": "not_applicable",
      "6.5.3": "evidenced",
      "6.5.4": "evidenced",
      "6.5.5": "not_applicable",
      "6.5.6": "not_applicable",
    });
    const cm3 = mapControls(closedNormal).find((c) => c.control === "CM-3")!;
    expect(cm3.requirements.find((q) => q.what === "Approved before implementation")!.evidence).toContain("Casey (cab member)");
  });

  it("a draft says plainly what is missing: approval, implementation, implementer", () => {
    const draft = {
      ...closedNormal,
      state: "draft",
      authorizedAt: null,
      approvals: [],
      outcome: null,
      implementedAt: null,
      implementerId: null,
      implementerName: null,
      implementationActorIds: [],
      review: null,
      riskScore: null,
      riskAssessedAt: null,
      checklist: [],
    };
    const cm3 = mapControls(draft).find((c) => c.control === "CM-3")!;
    expect(cm3.status).toBe("missing");
    expect(cm3.requirements.filter((q) => q.evidence === null && !q.notApplicable).map((q) => q.what)).toEqual([
      "Approved before implementation",
      "Implementation recorded",
      "Reviewed after implementation",
    ]);
    expect(status(draft)["CM-5"]).toBe("missing");
  });

  it("an approver who requested the change breaks segregation of duties (CM-5, PCI 6.5.4)", () => {
    const conflicted = {
      ...closedNormal,
      approvals: [...closedNormal.approvals, { voterId: "req", voterName: "Riley", role: "cab_member" }],
    };
    expect(status(conflicted)).toMatchObject({ "CM-5": "missing", "6.5.4": "missing" });
  });

  it("names a backout test as evidence only when someone other than the requester recorded it", () => {
    const fallback = (r: EvidenceRecord) =>
      mapControls(r)
        .find((c) => c.control === "A.8.32")!
        .requirements.find((q) => q.what === "Tested, with a fallback")!.evidence;
    expect(fallback(closedNormal)).toContain("(backout test recorded)");
    expect(fallback({ ...closedNormal, backoutTestedById: "req" })).not.toContain("backout test recorded");
    expect(fallback({ ...closedNormal, backoutTestedById: null })).not.toContain("backout test recorded");
  });

  it("someone other than the named implementer carrying it out is missing CM-5 evidence", () => {
    expect(status({ ...closedNormal, implementationActorIds: ["impl", "someone"] })["CM-5"]).toBe("missing");
  });

  it("PCI DSS 6.5.2, 6.5.5 and 6.5.6 apply to a PCI-tagged change and need its compliance sign-off", () => {
    const pci = { ...closedNormal, frameworkTags: ["pci_dss"] };
    expect(status(pci)).toMatchObject({ "6.5.2": "missing", "6.5.5": "missing", "6.5.6": "missing" });
    const validated = {
      ...pci,
      checklist: [
        ...pci.checklist,
        {
          key: "compliance_pci_dss",
          title: "Compliance validation (PCI DSS)",
          status: "signed" as const,
          signedById: "sec",
          signedByName: "Sam",
        },
      ],
    };
    expect(status(validated)).toMatchObject({ "6.5.2": "evidenced", "6.5.5": "evidenced", "6.5.6": "evidenced" });
  });

  it("an audit trail with a hash that does not recompute is not evidence", () => {
    expect(status({ ...closedNormal, audit: { events: 12, hashesVerified: 11 } })["CM-3"]).toBe("missing");
  });
});

describe("field changes from the audit log", () => {
  it("lists each changed field with before and after, skipping unchanged ones", () => {
    const base = {
      occurredAt: "2026-11-20T10:00:00.000Z",
      actorId: "a",
      actorEmail: "a@x",
      entityType: "change",
      entityId: "c",
      changeId: "c",
      reason: null,
      clientAddress: null,
      prevHash: "",
      hash: "",
    };
    const changes = fieldChanges([
      { ...base, seq: 1, action: "change.created", before: null, after: { title: "A" } },
      {
        ...base,
        seq: 2,
        action: "change.edited",
        before: { title: "A", testPlan: "x", cis: ["1"] },
        after: { title: "B", testPlan: "x", cis: ["1", "2"] },
      },
    ]);
    expect(changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ["cis", '["1"]', '["1","2"]'],
      ["title", "A", "B"],
    ]);
  });
});

describe("deployment evidence in the control mapping", () => {
  const DEPLOYMENT_CONTROLS = ["CM-3", "CM-5", "CC8.1", "6.5.1", "6.5.4"];
  const deployed = (authorized: boolean[]): EvidenceRecord => ({
    ...closedNormal,
    deployments: authorized.map((ok, i) => ({
      environment: "production",
      ciName: "edge-proxy",
      at: new Date(at.getTime() + i * 60_000),
      authorized: ok,
      reason: ok ? null : "digest_not_approved",
    })),
  });
  const deploymentRequirements = (r: EvidenceRecord) =>
    mapControls(r).flatMap((c) =>
      c.requirements.filter((q) => /deploy/i.test(q.what)).map((q) => ({ control: c.control, ...q, status: c.status })),
    );

  it("without deployments the requirement does not apply and changes no control's status", () => {
    const found = deploymentRequirements(closedNormal);
    expect(found.map((q) => q.control)).toEqual(DEPLOYMENT_CONTROLS);
    expect(found.every((q) => q.notApplicable && q.status === "evidenced")).toBe(true);
  });

  it("deployments that were all authorized evidence CM-3, CM-5, CC8.1, 6.5.1 and 6.5.4", () => {
    const found = deploymentRequirements(deployed([true, true]));
    expect(found.every((q) => q.status === "evidenced" && !q.notApplicable)).toBe(true);
    expect(found[0]!.evidence).toBe(
      "2 deployments to edge-proxy (production), each authorized against this change's approval, the last 2026-11-20 10:01 UTC",
    );
  });

  it("one unauthorized deployment leaves each of those controls missing", () => {
    expect(deploymentRequirements(deployed([true, false])).map((q) => [q.control, q.evidence, q.status])).toEqual(
      DEPLOYMENT_CONTROLS.map((c) => [c, null, "missing"]),
    );
  });
});
