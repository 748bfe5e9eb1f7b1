// Which framework requirements one change record evidences (domain.md, What auditors take away):
// for each requirement, the fields that satisfy it, or a plain "missing". Pure: the evidence view
// gathers the record, this decides.

import { backoutTestCounts } from "./backout-test";

export type EvidenceRecord = {
  type: string;
  state: string;
  title: string;
  description: string;
  justification: string;
  implementationPlan: string;
  backoutPlan: string;
  testPlan: string;
  backoutTestedById: string | null;
  frameworkTags: string[];
  riskScore: number | null;
  riskLevel: string | null;
  riskAssessedAt: Date | null;
  requesterId: string;
  implementerId: string | null;
  implementerName: string | null;
  cis: { name: string; environment: string }[];
  template: { title: string; version: number; status: string } | null;
  authorizedAt: Date | null;
  approvals: { voterId: string; voterName: string; role: string }[];
  checklist: {
    key: string;
    title: string;
    status: "pending" | "signed" | "waived";
    signedById: string | null;
    signedByName: string | null;
  }[];
  implementedAt: Date | null;
  outcome: string | null;
  outcomeNotes: string | null;
  /** Who carried out the implementation steps, from the audit log. */
  implementationActorIds: string[];
  review: { reviewedAt: Date; reviewedByName: string; securityValidation: string | null } | null;
  rootCause: string | null;
  audit: { events: number; hashesVerified: number };
  /** The deployments pipelines reported that carried this change, each reconciled with its approval. */
  deployments?: { environment: string; ciName: string; at: Date; authorized: boolean; reason: string | null }[];
};

export type Requirement = { what: string; evidence: string | null; notApplicable?: string };
export type ControlResult = {
  framework: string;
  control: string;
  title: string;
  requirements: Requirement[];
  status: "evidenced" | "missing" | "not_applicable";
};

const day = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
const filled = (text: string | null | undefined, label: string) => (text && text.trim() ? `${label}: “${clip(text)}”` : null);
const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

function approval(r: EvidenceRecord): string | null {
  if (r.type === "standard" && r.template?.status === "approved")
    return `pre-approved standard change: template “${r.template.title}” v${r.template.version}`;
  if (!r.authorizedAt) return null;
  const who = r.approvals.map((a) => `${a.voterName} (${a.role.replaceAll("_", " ")})`).join(", ");
  return `authorized ${day(r.authorizedAt)}${who ? ` by ${who}` : ""}`;
}

function riskAssessment(r: EvidenceRecord): string | null {
  return r.riskScore !== null && r.riskAssessedAt ? `risk ${r.riskLevel} (score ${r.riskScore}), assessed ${day(r.riskAssessedAt)}` : null;
}

function securityReview(r: EvidenceRecord): string | null {
  const security = r.checklist.filter((i) => !["backup_verified", "rollback_tested"].includes(i.key));
  if (security.length === 0) return r.riskScore !== null ? "no security checklist item applies at this risk and these flags" : null;
  const open = security.filter((i) => i.status === "pending");
  if (open.length > 0) return null;
  return security.map((i) => `${i.title}: ${i.status} by ${i.signedByName ?? "?"}`).join("; ");
}

function implementation(r: EvidenceRecord): string | null {
  return r.outcome && r.implementedAt
    ? `outcome ${r.outcome.replaceAll("_", " ")} recorded ${day(r.implementedAt)}${r.outcomeNotes ? `: “${clip(r.outcomeNotes)}”` : ""}`
    : null;
}

function postReview(r: EvidenceRecord): string | null {
  if (!r.review) return null;
  return `post-implementation review by ${r.review.reviewedByName}, ${day(r.review.reviewedAt)}${r.rootCause ? `; root cause: “${clip(r.rootCause)}”` : ""}`;
}

function segregation(r: EvidenceRecord): string | null {
  const conflicted = r.approvals.filter((a) => a.voterId === r.requesterId || a.voterId === r.implementerId);
  const signers = r.checklist.filter((i) => i.signedById && (i.signedById === r.requesterId || i.signedById === r.implementerId));
  if (conflicted.length || signers.length) return null;
  if (r.approvals.length === 0 && !(r.type === "standard" && r.template)) return null;
  return `no approver or signer is the requester or the implementer (${r.approvals.length} approvals, ${r.checklist.filter((i) => i.signedById).length} sign-offs checked)`;
}

function implementerControl(r: EvidenceRecord): string | null {
  if (!r.implementerId || r.implementationActorIds.length === 0) return null;
  return r.implementationActorIds.every((id) => id === r.implementerId)
    ? `carried out by the assigned implementer, ${r.implementerName}`
    : null;
}

function auditTrail(r: EvidenceRecord): string | null {
  return r.audit.events > 0 && r.audit.hashesVerified === r.audit.events
    ? `${r.audit.events} audit events, every hash recomputed and matching`
    : null;
}

// A change no pipeline deployed (a console change, or one not yet deployed) has nothing to show here.
function deployedAsApproved(r: EvidenceRecord, what: string): Requirement {
  const deployments = r.deployments ?? [];
  if (deployments.length === 0) return { what, evidence: null, notApplicable: "no pipeline reported a deployment of this change" };
  if (deployments.some((d) => !d.authorized)) return { what, evidence: null };
  const targets = [...new Set(deployments.map((d) => `${d.ciName} (${d.environment})`))].join(", ");
  return {
    what,
    evidence: `${deployments.length} deployment${deployments.length === 1 ? "" : "s"} to ${targets}, each authorized against this change's approval, the last ${day(
      new Date(Math.max(...deployments.map((d) => d.at.getTime()))),
    )}`,
  };
}

function pciOnly(r: EvidenceRecord, what: string, evidence: () => string | null): Requirement {
  if (!r.frameworkTags.includes("pci_dss"))
    return { what, evidence: null, notApplicable: "the change touches no PCI DSS scope (no PCI DSS tag)" };
  return { what, evidence: evidence() };
}

function signed(r: EvidenceRecord, keys: string[]): string | null {
  const item = r.checklist.find((i) => keys.includes(i.key) && i.status !== "pending");
  return item ? `${item.title}: ${item.status} by ${item.signedByName ?? "?"}` : null;
}

function control(framework: string, id: string, title: string, requirements: Requirement[]): ControlResult {
  const applicable = requirements.filter((q) => !q.notApplicable);
  const status = applicable.length === 0 ? "not_applicable" : applicable.every((q) => q.evidence) ? "evidenced" : "missing";
  return { framework, control: id, title, requirements, status };
}

export function mapControls(r: EvidenceRecord): ControlResult[] {
  const documented = [filled(r.description, "description"), filled(r.justification, "justification")].every(Boolean)
    ? `${filled(r.description, "description")}; ${filled(r.justification, "justification")}`
    : null;
  const environments = r.cis.length ? r.cis.map((c) => `${c.name} (${c.environment})`).join(", ") : null;
  return [
    control("NIST SP 800-53", "CM-3", "Configuration change control", [
      { what: "Change documented", evidence: documented },
      { what: "Approved before implementation", evidence: approval(r) },
      { what: "Implementation recorded", evidence: implementation(r) },
      { what: "Reviewed after implementation", evidence: postReview(r) },
      { what: "Change history retained", evidence: auditTrail(r) },
      deployedAsApproved(r, "Deployments matched to the approval"),
    ]),
    control("NIST SP 800-53", "CM-4", "Impact analyses", [
      { what: "Risk analysed before approval", evidence: riskAssessment(r) },
      { what: "Security impact reviewed", evidence: securityReview(r) },
      { what: "Tested before production", evidence: filled(r.testPlan, "test plan") },
    ]),
    control("NIST SP 800-53", "CM-5", "Access restrictions for change", [
      { what: "Implementer named", evidence: r.implementerName ? `implementer: ${r.implementerName}` : null },
      { what: "Only the named implementer carried it out", evidence: implementerControl(r) },
      { what: "Segregation of duties", evidence: segregation(r) },
      deployedAsApproved(r, "Pipelines deployed only what was authorized"),
    ]),
    control("ISO/IEC 27001:2022", "A.8.32", "Change management", [
      {
        what: "Planned, with impact assessed",
        evidence:
          filled(r.implementationPlan, "plan") && riskAssessment(r)
            ? `${filled(r.implementationPlan, "plan")}; ${riskAssessment(r)}`
            : null,
      },
      { what: "Authorized", evidence: approval(r) },
      {
        what: "Tested, with a fallback",
        evidence:
          filled(r.testPlan, "test plan") && filled(r.backoutPlan, "backout plan")
            ? `${filled(r.backoutPlan, "backout plan")}${backoutTestCounts(r) ? " (backout test recorded)" : ""}`
            : null,
      },
      { what: "Outcome checked", evidence: implementation(r) },
    ]),
    control("SOC 2", "CC8.1", "Changes authorized, designed, tested, approved and implemented", [
      {
        what: "Designed and documented",
        evidence: filled(r.implementationPlan, "plan") && documented ? `${filled(r.implementationPlan, "plan")}` : null,
      },
      { what: "Tested", evidence: filled(r.testPlan, "test plan") },
      { what: "Approved", evidence: approval(r) },
      { what: "Implemented", evidence: implementation(r) },
      deployedAsApproved(r, "Deployed as approved"),
    ]),
    control("PCI DSS 4.0", "6.5.1", "Changes documented: reason, security impact, approval, testing, back-out", [
      { what: "Reason and description", evidence: documented },
      { what: "Security impact", evidence: riskAssessment(r) && securityReview(r) ? `${riskAssessment(r)}; ${securityReview(r)}` : null },
      { what: "Approval by authorized parties", evidence: approval(r) },
      { what: "Testing", evidence: filled(r.testPlan, "test plan") },
      { what: "Back-out procedure", evidence: filled(r.backoutPlan, "backout plan") },
      deployedAsApproved(r, "Deployed as approved"),
    ]),
    control("PCI DSS 4.0", "6.5.2", "PCI DSS requirements confirmed after a significant change", [
      pciOnly(
        r,
        "Compliance validated",
        () => signed(r, ["compliance_pci_dss"]) ?? (r.review?.securityValidation ? `review: “${clip(r.review.securityValidation)}”` : null),
      ),
    ]),
    control("PCI DSS 4.0", "6.5.3", "Pre-production separated from production", [
      { what: "Environments of the changed items recorded", evidence: environments },
    ]),
    control("PCI DSS 4.0", "6.5.4", "Roles and functions separated", [
      { what: "Segregation of duties", evidence: segregation(r) },
      deployedAsApproved(r, "Production deployments checked against the approval"),
    ]),
    control("PCI DSS 4.0", "6.5.5", "Live PANs not used in pre-production", [
      pciOnly(r, "Regulated-data handling validated", () => signed(r, ["compliance_pci_dss"])),
    ]),
    control("PCI DSS 4.0", "6.5.6", "Test data and accounts removed before production", [
      pciOnly(r, "No test accounts, default credentials or debug configuration", () =>
        signed(r, ["no_default_credentials", "no_secrets_or_debug", "compliance_pci_dss"]),
      ),
    ]),
  ];
}
