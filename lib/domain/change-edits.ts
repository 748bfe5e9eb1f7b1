import { canonicalJson } from "./canonical-json";

/**
 * The edit form's fields that classify, scope or schedule a change: they decide its risk, its
 * checklist and so its approvers (approval-policy.ts, checklist.ts, risk.ts), what is approved
 * (the artifact, the access grant) and when. The rest (title, description, justification, the
 * plans) only describe it. Labels as the refusal names them.
 */
export const CLASSIFYING_FIELDS = {
  type: "type",
  templateId: "template",
  ciIds: "configuration items",
  cves: "CVE references",
  backoutTested: "backout tested",
  backoutTestRecorded: "backout test recorded",
  plannedStart: "planned start",
  plannedEnd: "planned end",
  newExternalInterface: "new external interface",
  touchesAuth: "touches authentication",
  regulatedData: "regulated data",
  frameworkTags: "regulation",
  infraProvisioning: "infrastructure provisioning",
  releaseArtifact: "release artifact",
  artifacts: "release artifacts",
  temporaryAccess: "temporary access",
  accessExpiresAt: "access expiry",
  // Who may move the change on (its pipeline) is settled before approval, or by an independent change manager.
  pipelineMovesChange: "pipeline moves the change",
} as const;

export type ClassifyingField = keyof typeof CLASSIFYING_FIELDS;

const MINUTE = 60_000;

// One comparable form per value: blank is null, a date counts to the minute (the form's
// precision), a list is a set (order and repeats do not change what a change touches).
function comparable(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return null;
  if (value instanceof Date) return Math.floor(value.getTime() / MINUTE);
  if (Array.isArray(value)) return [...new Set(value.map((v) => canonicalJson(comparable(v))))].sort();
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}

/** The fields of `after` whose value differs from `before`, sorted. */
export function editedFields(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(after)
    .filter((field) => canonicalJson(comparable(before[field])) !== canonicalJson(comparable(after[field])))
    .sort();
}
