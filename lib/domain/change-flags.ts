/** Facts about what a change touches; they decide which checklist items and approvals apply. */
export type ChangeFlags = {
  newExternalInterface: boolean;
  touchesAuth: boolean;
  regulatedData: boolean;
  /** Regulated frameworks the data falls under, e.g. "pci_dss", "hipaa"; one compliance item each. */
  frameworkTags: readonly string[];
  infraProvisioning: boolean;
  releaseArtifact: boolean;
  temporaryAccess: boolean;
};

export const NO_FLAGS: ChangeFlags = {
  newExternalInterface: false,
  touchesAuth: false,
  regulatedData: false,
  frameworkTags: [],
  infraProvisioning: false,
  releaseArtifact: false,
  temporaryAccess: false,
};

export const FRAMEWORK_LABELS: Readonly<Record<string, string>> = {
  pci_dss: "PCI DSS",
  hipaa: "HIPAA",
  sox: "SOX",
  gdpr: "GDPR",
};

export function frameworkLabel(tag: string): string {
  return FRAMEWORK_LABELS[tag] ?? tag.toUpperCase();
}
