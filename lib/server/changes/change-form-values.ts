import "server-only";

const CHECKBOXES = [
  "backoutTested",
  "backoutTestRecorded",
  "newExternalInterface",
  "touchesAuth",
  "regulatedData",
  "infraProvisioning",
  "releaseArtifact",
  "temporaryAccess",
  "pipelineMovesChange",
] as const;
const TEXTS = [
  "type",
  "title",
  "description",
  "justification",
  "implementationPlan",
  "backoutPlan",
  "testPlan",
  "emergencyJustification",
  "plannedStart",
  "plannedEnd",
  "templateId",
  "rollbackCriteria",
  "replacesVersion",
  "accessExpiresAt",
  "cves",
] as const;

/** The artifact group's fields, one value per row in each (the form repeats them), and where each goes. */
export const ARTIFACT_FIELDS = {
  artifactName: "name",
  artifactVersion: "version",
  artifactDigest: "digest",
  artifactSourceRepository: "sourceRepository",
  artifactSourceCommit: "sourceCommit",
  artifactSbomRef: "sbomRef",
  artifactProvenanceRef: "provenanceRef",
  artifactScanner: "scan.scanner",
  artifactScannedAt: "scan.scannedAt",
  artifactCritical: "scan.critical",
  artifactHigh: "scan.high",
  artifactMedium: "scan.medium",
  artifactLow: "scan.low",
  artifactKnownExploited: "scan.knownExploited",
} as const;

type ArtifactField = keyof typeof ARTIFACT_FIELDS;
const ARTIFACT_NAMES = Object.keys(ARTIFACT_FIELDS) as ArtifactField[];
const SCAN_COUNTS = new Set(["scan.critical", "scan.high", "scan.medium", "scan.low", "scan.knownExploited"]);

// Rows left wholly blank are dropped here, so the rows shown again after a refusal line up with
// the errors' indices ("artifacts.1.digest").
function artifactRows(form: FormData): Record<ArtifactField, string[]> {
  const columns = Object.fromEntries(ARTIFACT_NAMES.map((n) => [n, form.getAll(n).map(String)])) as Record<ArtifactField, string[]>;
  const rows = Math.min(Math.max(0, ...ARTIFACT_NAMES.map((n) => columns[n].length)), 200);
  const kept = [...Array(rows).keys()].filter((i) => ARTIFACT_NAMES.some((n) => (columns[n][i] ?? "").trim() !== ""));
  return Object.fromEntries(ARTIFACT_NAMES.map((n) => [n, kept.map((i) => columns[n][i] ?? "")])) as Record<ArtifactField, string[]>;
}

/** The artifact rows as the draft schema takes them: a count typed as digits becomes a number, anything else is left for the schema to refuse. */
function artifactInputs(values: Record<string, string | string[]>): Record<string, unknown>[] {
  const column = (n: ArtifactField) => {
    const v = values[n];
    return Array.isArray(v) ? v : v ? [v] : [];
  };
  const rows = Math.max(0, ...ARTIFACT_NAMES.map((n) => column(n).length));
  return [...Array(rows).keys()].map((i) => {
    const artifact: Record<string, unknown> = {};
    const scan: Record<string, unknown> = {};
    for (const n of ARTIFACT_NAMES) {
      const target = ARTIFACT_FIELDS[n];
      const raw = (column(n)[i] ?? "").trim();
      const value = SCAN_COUNTS.has(target) ? (raw === "" ? null : /^\d{1,9}$/.test(raw) ? Number(raw) : raw) : raw;
      if (target.startsWith("scan.")) scan[target.slice(5)] = value;
      else artifact[target] = value;
    }
    artifact.scan = Object.values(scan).every((v) => v === null || v === "") ? null : scan;
    return artifact;
  });
}

/** The change form's fields as typed, both for parsing and for showing them again after an error. */
export function changeFormValues(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const name of TEXTS) values[name] = String(form.get(name) ?? "");
  for (const name of CHECKBOXES) values[name] = form.get(name) === "on" ? "on" : "";
  values.ciIds = form.getAll("ciIds").map(String).filter(Boolean);
  values.frameworkTags = form.getAll("frameworkTags").map(String);
  Object.assign(values, artifactRows(form));
  return values;
}

/** The typed values in the shape the draft schema parses. */
export function changeDraftFields(values: Record<string, string | string[]>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...values };
  for (const name of CHECKBOXES) fields[name] = values[name] === "on";
  for (const name of ARTIFACT_NAMES) delete fields[name];
  fields.artifacts = artifactInputs(values);
  return fields;
}
