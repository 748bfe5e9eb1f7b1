"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { WEEKDAY_LABELS, type ReminderSettings } from "@/lib/domain/reminder-settings";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { formValues } from "@/components/ui/form-values";
import { SubmitButton } from "@/components/ui/submit-button";

const NUMBERS = [
  ["reminderHours", "Remind after (business hours)"],
  ["escalationHours", "Escalate after (business hours)"],
  ["emergencyReminderMinutes", "Emergency: remind after (minutes)"],
  ["emergencyEscalationMinutes", "Emergency: escalate after (minutes)"],
] as const;

function Days({ name, legend, values }: { name: string; legend: string; values: ReturnType<typeof formValues> }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-3">
        {WEEKDAY_LABELS.map((label, i) => (
          <label key={label} className="flex items-center gap-1.5 text-sm">
            <input {...values.checkbox(name, String(i + 1))} className="h-4 w-4" />
            {label.slice(0, 3)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The organisation's business hours, reminder and escalation times, and CAB cut-off schedule. */
export function ReminderSettingsForm({ action, settings }: { action: FormAction; settings: ReminderSettings }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const initial = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])) as Record<
    string,
    string | string[]
  >;
  const values = formValues(state, initial);
  const errors = state.ok ? {} : (state.fieldErrors ?? {});
  return (
    <form action={formAction} className="space-y-5">
      <FormMessage ok={state.ok} message={state.message} />
      <Field
        label="Time zone (IANA)"
        {...values.field("timeZone")}
        error={errors.timeZone}
        hint="For instance Europe/Berlin or America/New_York."
      />
      <Days name="businessDays" legend="Business days" values={values} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Business day starts" {...values.field("dayStart")} error={errors.dayStart} hint="HH:MM, local time" />
        <Field label="Business day ends" {...values.field("dayEnd")} error={errors.dayEnd} hint="HH:MM, local time" />
        {NUMBERS.map(([name, label]) => (
          <Field key={name} label={label} type="number" min={1} {...values.field(name)} error={errors[name]} />
        ))}
      </div>
      <Days name="cabCutOffDays" legend="CAB cut-off days" values={values} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="CAB cut-off time" {...values.field("cabCutOffTime")} error={errors.cabCutOffTime} hint="HH:MM, local time" />
        <Field
          label="Digest before the cut-off (hours)"
          type="number"
          min={1}
          {...values.field("digestLeadHours")}
          error={errors.digestLeadHours}
        />
      </div>
      <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
    </form>
  );
}
