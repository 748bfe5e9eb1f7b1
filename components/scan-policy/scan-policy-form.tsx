"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { scanPolicyRowCount } from "@/lib/domain/scan-policy-form";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { formValues } from "@/components/ui/form-values";
import { SubmitButton } from "@/components/ui/submit-button";

const LIMITS = [
  ["maxCritical", "Critical findings, at most"],
  ["maxHigh", "High, at most"],
  ["maxMedium", "Medium, at most"],
  ["maxLow", "Low, at most"],
  ["maxKnownExploited", "Known-exploited, at most"],
] as const;

/** The admin's scan policy editor: one row per rule, two spare rows for new ones; a blank environment removes a rule. */
export function ScanPolicyForm({ action, initial }: { action: FormAction; initial: Record<string, string | string[]> }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const values = formValues(state, initial);
  const errors = state.ok ? {} : (state.fieldErrors ?? {});
  const count = scanPolicyRowCount(values.values);
  return (
    <form action={formAction} className="space-y-5">
      <FormMessage ok={state.ok} message={state.message} />
      {Array.from({ length: count }, (_, i) => {
        const at = (field: string) => `rules.${i}.${field}`;
        const criticality = values.text(at("minCriticality")) || "1";
        return (
          <fieldset key={i} className="space-y-3 rounded-md p-4 ring-1 ring-slate-200">
            <legend className="px-1 text-sm font-semibold text-slate-800">
              {values.text(at("environment")) || i < count - 2 ? `Rule ${i + 1}` : `New rule ${i + 1}`}
            </legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Environment"
                {...values.field(at("environment"))}
                error={errors[at("environment")]}
                maxLength={60}
                hint="As the CMDB names it (production, staging), or * for any. Leave blank to remove the rule."
              />
              <div className="space-y-1">
                <label htmlFor={`scan-rule-${i}-criticality`} className="block text-sm font-medium text-slate-800">
                  CI criticality, at least
                </label>
                <select
                  key={criticality}
                  id={`scan-rule-${i}-criticality`}
                  name={at("minCriticality")}
                  defaultValue={criticality}
                  aria-invalid={errors[at("minCriticality")] ? true : undefined}
                  className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
                >
                  {["1", "2", "3", "4"].map((n) => (
                    <option key={n} value={n}>
                      {n}
                      {n === "1" ? " (every CI)" : n === "4" ? " (mission critical)" : ""}
                    </option>
                  ))}
                </select>
                {errors[at("minCriticality")] ? <p className="text-sm text-rose-700">{errors[at("minCriticality")]}</p> : null}
              </div>
            </div>
            <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-5">
              {LIMITS.map(([name, label]) => (
                <Field
                  key={name}
                  label={label}
                  inputMode="numeric"
                  {...values.field(at(name))}
                  error={errors[at(name)]}
                  hint="Blank: no limit"
                />
              ))}
            </div>
            <div className="flex flex-wrap gap-6 text-sm">
              <label className="flex items-center gap-2">
                <input {...values.checkbox(at("requireScan"))} className="size-4" /> A scan summary is required
              </label>
            </div>
          </fieldset>
        );
      })}
      <SubmitButton pendingLabel="Saving…">Save scan policy</SubmitButton>
    </form>
  );
}
