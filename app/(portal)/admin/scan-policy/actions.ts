"use server";

import { formAction } from "@/lib/server/actions/form-action";
import { SCAN_POLICY_MAX_ROWS, SCAN_POLICY_ROW_BOXES, SCAN_POLICY_ROW_FIELDS } from "@/lib/domain/scan-policy-form";
import { saveScanPolicy } from "@/lib/server/settings/save-scan-policy";

/** The rows the form posted, as many as carry an environment field. */
function rows(form: FormData) {
  const out: Record<string, string | boolean>[] = [];
  for (let i = 0; i <= SCAN_POLICY_MAX_ROWS && form.has(`rules.${i}.environment`); i++) {
    const row: Record<string, string | boolean> = {};
    for (const f of SCAN_POLICY_ROW_FIELDS) row[f] = String(form.get(`rules.${i}.${f}`) ?? "");
    for (const b of SCAN_POLICY_ROW_BOXES) row[b] = form.get(`rules.${i}.${b}`) === "on";
    out.push(row);
  }
  return out;
}

/** What was typed, as the form's flat values, to show again after a refusal. */
function kept(form: FormData) {
  const values: Record<string, string | string[]> = {};
  rows(form).forEach((row, i) => {
    for (const [f, v] of Object.entries(row)) values[`rules.${i}.${f}`] = typeof v === "boolean" ? (v ? ["on"] : []) : v;
  });
  return values;
}

export const saveScanPolicyAction = formAction({
  input: (form) => ({ rules: rows(form), values: kept(form) }),
  keep: ({ values }) => values,
  run: (actor, { rules }) => saveScanPolicy(actor, { rules }),
  revalidate: ["/admin/scan-policy"],
});
