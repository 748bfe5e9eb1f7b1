import "server-only";

const CHECKBOXES = [
  "backoutTested",
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
  "artifactDigest",
  "accessExpiresAt",
  "cves",
] as const;

/** The change form's fields as typed, both for parsing and for showing them again after an error. */
export function changeFormValues(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const name of TEXTS) values[name] = String(form.get(name) ?? "");
  for (const name of CHECKBOXES) values[name] = form.get(name) === "on" ? "on" : "";
  values.ciIds = form.getAll("ciIds").map(String).filter(Boolean);
  values.frameworkTags = form.getAll("frameworkTags").map(String);
  return values;
}

/** The typed values in the shape the draft schema parses. */
export function changeDraftFields(values: Record<string, string | string[]>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...values };
  for (const name of CHECKBOXES) fields[name] = values[name] === "on";
  return fields;
}
