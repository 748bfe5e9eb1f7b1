"use client";

import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { SelectField } from "@/components/cis/select-field";
import { WEEKDAY_LABELS } from "@/lib/domain/utc-time";
import type { FormAction } from "@/lib/domain/form-state";

const WEEKDAYS = WEEKDAY_LABELS.map((label, i) => ({ value: String(i), label }));

/** Adds a weekly slot (UTC) in which the CI may be changed. */
export function MaintenanceWindowForm({ action, ciId }: { action: FormAction; ciId: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const v = (state.ok ? {} : (state.values ?? {})) as Record<string, string>;
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="ciId" value={ciId} />
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField label="Weekday" name="weekday" options={WEEKDAYS} defaultValue={v.weekday ?? "6"} error={e.weekday} />
        <Field label="Starts (UTC)" name="start" type="time" defaultValue={v.start ?? "22:00"} error={e.start} />
        <Field label="Hours" name="hours" type="number" step="0.25" min="0.25" max="168" defaultValue={v.hours ?? "4"} error={e.hours} />
      </div>
      <SubmitButton variant="secondary" pendingLabel="Adding…">
        Add maintenance window
      </SubmitButton>
    </form>
  );
}
