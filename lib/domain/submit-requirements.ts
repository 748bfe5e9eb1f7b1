import type { ChangeFacts } from "./change-facts";

export type MissingField = { field: string; message: string };

/** What a change must have before it can be submitted, per field, so forms can show each beside its input. */
export function missingForSubmit(change: ChangeFacts, now: Date): MissingField[] {
  const missing: MissingField[] = [];
  const need = (field: string, ok: boolean, message: string) => {
    if (!ok) missing.push({ field, message });
  };
  const filled = (text: string | null) => (text ?? "").trim().length > 0;
  need("title", filled(change.title), "Give the change a title.");
  need("description", filled(change.description), "Describe the change.");
  need("justification", filled(change.justification), "Explain the business justification.");
  need("affectedCiIds", change.affectedCiIds.length > 0, "Name at least one affected configuration item.");
  need("implementationPlan", filled(change.implementationPlan), "Write the implementation plan.");
  need("backoutPlan", filled(change.backoutPlan), "Write the backout plan.");
  need("testPlan", filled(change.testPlan), "Write the test plan.");
  const { plannedStart: start, plannedEnd: end } = change;
  if (!start || !end) need("plannedStart", false, "Choose a planned start and end.");
  else {
    need("plannedEnd", start.getTime() < end.getTime(), "The planned end must be after the planned start.");
    need("plannedStart", start.getTime() > now.getTime(), "The planned start must be in the future.");
  }
  if (change.type === "emergency")
    need("emergencyJustification", filled(change.emergencyJustification), "Explain why this change cannot wait (emergency justification).");
  if (change.type === "standard") need("templateId", change.template !== null, "Choose the standard-change template this change follows.");
  return missing;
}
