import type { ChangeFacts } from "./change-facts";
import { frameworkLabel } from "./change-flags";
import { riskRank } from "./risk-levels";
import type { Role } from "./roles";

/** One sign-off a change may need: who may sign it and what evidence it wants. */
export type ChecklistItem = {
  key: string;
  title: string;
  signerRole: Role;
  evidence: string;
  /** Must be signed (not waived) before implementation starts. */
  preImplementation: boolean;
};

type Definition = Omit<ChecklistItem, "key">;

const security = (title: string, evidence: string): Definition => ({
  title,
  signerRole: "security_reviewer",
  evidence,
  preImplementation: false,
});

/** The item catalogue (domain.md, Security checklists). Readiness items are signed by the change manager. */
export const CHECKLIST_ITEMS = {
  backup_verified: {
    title: "Backup verified",
    signerRole: "change_manager",
    evidence: "the backup job and a successful restore test",
    preImplementation: true,
  },
  rollback_tested: {
    title: "Rollback plan tested",
    signerRole: "change_manager",
    evidence: "where and when the backout was rehearsed, and its result",
    preImplementation: true,
  },
  secure_baseline: security("Configuration compliant with the secure baseline", "the baseline scan or configuration diff"),
  threat_model: security("Threat model", "the threat model document and its open findings"),
  sast_dast: security("SAST and DAST results", "the static and dynamic scan reports with no open high findings"),
  hardened_template: security("Hardened template used", "the image or template name and version"),
  no_default_credentials: security("No default credentials", "the credential check output"),
  signed_artifact: security("Signed artifact, digest recorded", "the signature verification and the artifact's SHA-256 digest"),
  vulnerability_scan: security(
    "Vulnerability scan within the scan policy",
    "the artifacts' scan summaries; met when they hold the scan policy, else only a waiver with an expiry",
  ),
  no_secrets_or_debug: security("No hard-coded secrets or debug configuration", "the secret scan and configuration review"),
  access_expiry_set: security("Expiry date set for temporary access", "the rule or grant with its expiry date"),
} as const satisfies Record<string, Definition>;

export type CatalogueKey = keyof typeof CHECKLIST_ITEMS;

const COMPLIANCE_PREFIX = "compliance_";

/** Compliance validation, one item per regulated framework ("compliance_pci_dss"). */
export function complianceItem(framework: string): ChecklistItem {
  const what = framework === "regulated" ? "regulated data" : frameworkLabel(framework);
  return {
    key: `${COMPLIANCE_PREFIX}${framework}`,
    ...security(`Compliance validation (${what})`, `the ${what} control checklist and the assessor's sign-off`),
  };
}

export function checklistItem(key: string): ChecklistItem | null {
  if (key in CHECKLIST_ITEMS) return { key, ...CHECKLIST_ITEMS[key as CatalogueKey] };
  return key.startsWith(COMPLIANCE_PREFIX) && key.length > COMPLIANCE_PREFIX.length
    ? complianceItem(key.slice(COMPLIANCE_PREFIX.length))
    : null;
}

export type ApplicableItem = ChecklistItem & { because: string };

/** The items that apply to a change, by type, risk and flags, each with why it applies. */
export function applicableItems(change: Pick<ChangeFacts, "type" | "flags" | "risk">): ApplicableItem[] {
  const items: ApplicableItem[] = [];
  const add = (key: CatalogueKey, because: string) => items.push({ key, ...CHECKLIST_ITEMS[key], because });
  const { flags, type } = change;
  if (type !== "standard") {
    const always = `every ${type} change`;
    add("backup_verified", always);
    add("rollback_tested", always);
    add("secure_baseline", always);
  }
  if (flags.newExternalInterface) add("threat_model", "it adds an external interface, API or data flow");
  else if (type === "major") add("threat_model", "it is a major change");
  else if (change.risk && riskRank(change.risk.level) >= riskRank("critical")) add("threat_model", "its risk is critical");
  if (flags.touchesAuth) add("sast_dast", "it touches authentication or access control");
  if (flags.regulatedData || flags.frameworkTags.length > 0) {
    const frameworks = flags.frameworkTags.length > 0 ? [...new Set(flags.frameworkTags)] : ["regulated"];
    for (const f of frameworks) items.push({ ...complianceItem(f), because: "it handles regulated data" });
  }
  if (flags.infraProvisioning) {
    add("hardened_template", "it provisions infrastructure");
    add("no_default_credentials", "it provisions infrastructure");
  }
  if (flags.releaseArtifact) {
    add("signed_artifact", "it ships a release artifact");
    add("vulnerability_scan", "it ships a release artifact");
    add("no_secrets_or_debug", "it ships a release artifact");
  }
  if (flags.temporaryAccess) add("access_expiry_set", "it grants temporary access or firewall rules");
  return items;
}

/** The items about the artifacts: signed again when an authorized change's artifact set changes. */
export const ARTIFACT_CHECKLIST_ITEMS = ["signed_artifact", "vulnerability_scan", "no_secrets_or_debug"] as const;

/** The item judged from the artifacts' scans (scan-policy.ts), not signed: met by the policy, else by a waiver. */
export const SCAN_POLICY_ITEM = "vulnerability_scan";

/**
 * Whether an item counts as done: signed, waived, or (standard changes) covered by the approved
 * template. The scan item is met when there are artifacts and they hold the scan policy; a waiver stands in
 * for it otherwise (the loader drops a waiver whose expiry has passed).
 */
export function isItemDone(
  change: Pick<ChangeFacts, "type" | "template" | "checklist"> & Partial<Pick<ChangeFacts, "scanPolicy" | "artifacts">>,
  key: string,
  signedOnly = false,
): boolean {
  const entry = change.checklist.find((e) => e.key === key);
  if (key === SCAN_POLICY_ITEM && change.scanPolicy?.passes && (change.artifacts?.length ?? 0) > 0) return true;
  if (entry?.status === "signed" || (entry?.status === "waived" && !signedOnly)) return true;
  return change.type === "standard" && change.template?.status === "approved" && change.template.checklistKeys.includes(key);
}

/** The applicable items not yet done; `preImplementation` narrows to those due before implementation. */
export function openItems(change: ChangeFacts, which: "all" | "pre_implementation" | "before_authorization" = "all"): ApplicableItem[] {
  return applicableItems(change).filter((item) => {
    if (which === "pre_implementation") return item.preImplementation && !isItemDone(change, item.key, true);
    if (which === "before_authorization" && item.preImplementation) return false;
    return !isItemDone(change, item.key);
  });
}

/** All signed or waived? The summary a page shows next to the checklist. */
export function checklistStatus(change: ChangeFacts): { complete: boolean; open: ApplicableItem[]; done: number; total: number } {
  const all = applicableItems(change);
  const open = openItems(change);
  return { complete: open.length === 0, open, done: all.length - open.length, total: all.length };
}
