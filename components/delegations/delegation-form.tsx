"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { DateTimeField } from "@/components/ui/date-time-field";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { formValues } from "@/components/ui/form-values";
import { SubmitButton } from "@/components/ui/submit-button";

type Person = { id: string; name: string; email: string };

/** Name a delegate for a period: a person, never a service account (the server holds that rule too). */
export function DelegationForm({
  action,
  people,
  initial,
}: {
  action: FormAction;
  people: Person[];
  initial: { startsAt: string; endsAt: string };
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const values = formValues(state, { delegateId: "", ...initial, reason: "" });
  const errors = state.ok ? {} : (state.fieldErrors ?? {});
  return (
    <form action={formAction} className="space-y-4">
      <FormMessage ok={state.ok} message={state.message} />
      <div className="space-y-1">
        <label htmlFor="delegateId" className="block text-sm font-medium text-slate-800">
          Delegate
        </label>
        <select
          id="delegateId"
          key={values.text("delegateId")}
          {...values.field("delegateId")}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          <option value="">Choose a person</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.email})
            </option>
          ))}
        </select>
        {errors.delegateId ? <p className="text-sm text-rose-700">{errors.delegateId}</p> : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <DateTimeField
          key={`s${values.text("startsAt")}`}
          label="From"
          name="startsAt"
          defaultValue={values.text("startsAt")}
          error={errors.startsAt}
        />
        <DateTimeField
          key={`e${values.text("endsAt")}`}
          label="Until"
          name="endsAt"
          defaultValue={values.text("endsAt")}
          error={errors.endsAt}
        />
      </div>
      <Field
        label="Reason (optional)"
        {...values.field("reason")}
        maxLength={500}
        error={errors.reason}
        hint="For instance: annual leave."
      />
      <SubmitButton pendingLabel="Saving…">Name delegate</SubmitButton>
    </form>
  );
}
