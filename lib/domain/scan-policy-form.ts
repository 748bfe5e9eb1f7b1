import { z } from "zod";
import { scanPolicyRuleSchema, type ScanPolicy } from "./scan-policy";

// The scan policy as the admin form posts it: one row of text fields per rule. A row whose
// environment is blank is no rule (spare rows, or a rule cleared to remove it).

/** The text fields of a row, named rules.<n>.<field> in the form. */
export const SCAN_POLICY_ROW_FIELDS = [
  "environment",
  "minCriticality",
  "maxCritical",
  "maxHigh",
  "maxMedium",
  "maxLow",
  "maxKnownExploited",
] as const;
/** The checkboxes of a row. */
export const SCAN_POLICY_ROW_BOXES = ["requireScan"] as const;
/** Blank rows offered for new rules. */
export const SCAN_POLICY_SPARE_ROWS = 2;
export const SCAN_POLICY_MAX_ROWS = 50;

const NUMBER = "Give a whole number of findings, or leave it blank for no limit.";
const limitText = z
  .string()
  .trim()
  .max(7, NUMBER)
  .regex(/^\d*$/, NUMBER)
  .transform((v) => (v === "" ? null : Number(v)));

const rowSchema = z.object({
  environment: z.string().trim().max(60, "An environment name is at most 60 characters."),
  minCriticality: z.enum(["1", "2", "3", "4"], { message: "Criticality runs from 1 to 4." }).transform(Number),
  maxCritical: limitText,
  maxHigh: limitText,
  maxMedium: limitText,
  maxLow: limitText,
  maxKnownExploited: limitText,
  requireScan: z.boolean(),
});

/** The posted rows, validated where they stand (errors keep their row's index); blank rows dropped. */
export const scanPolicyFormSchema = z
  .object({ rules: z.array(rowSchema).max(SCAN_POLICY_MAX_ROWS, `At most ${SCAN_POLICY_MAX_ROWS} rules.`) })
  .transform(({ rules }, ctx): ScanPolicy => {
    const kept: ScanPolicy["rules"][number][] = [];
    rules.forEach((row, index) => {
      if (!row.environment) return;
      const parsed = scanPolicyRuleSchema.safeParse(row);
      if (parsed.success) kept.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: "custom", path: ["rules", index, ...issue.path], message: issue.message });
    });
    if (kept.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["form"],
        message: "Keep at least one rule: a policy without rules lets every finding through.",
      });
    return { rules: kept };
  });

/** A policy as the form's flat values, with spare blank rows after its rules. */
export function scanPolicyFormValues(policy: ScanPolicy): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const rows = [...policy.rules, ...Array.from({ length: SCAN_POLICY_SPARE_ROWS }, () => null)];
  rows.forEach((rule, i) => {
    const at = (field: string) => `rules.${i}.${field}`;
    const n = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
    values[at("environment")] = rule?.environment ?? "";
    values[at("minCriticality")] = String(rule?.minCriticality ?? 1);
    values[at("maxCritical")] = n(rule?.maxCritical);
    values[at("maxHigh")] = n(rule?.maxHigh);
    values[at("maxMedium")] = n(rule?.maxMedium);
    values[at("maxLow")] = n(rule?.maxLow);
    // A new rule starts as the default does: no known-exploited finding.
    values[at("maxKnownExploited")] = rule ? n(rule.maxKnownExploited) : "0";
    values[at("requireScan")] = !rule || rule.requireScan ? ["on"] : [];
  });
  return values;
}

/** How many rows the posted values hold (rules.<n>.environment present). */
export function scanPolicyRowCount(values: Record<string, unknown>): number {
  let count = 0;
  while (count < SCAN_POLICY_MAX_ROWS + 1 && `rules.${count}.environment` in values) count += 1;
  return count;
}
