"use client";

import { createContext, useActionState, useContext } from "react";
import type { FormAction, FormState } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextArea } from "@/components/ui/text-area";
import { DateTimeField } from "@/components/ui/date-time-field";
import { formValues } from "@/components/ui/form-values";
import type { ButtonVariant } from "@/components/ui/button-styles";
import { VOTE_DECISIONS } from "@/lib/domain/vote";

const StepState = createContext<FormState>({ ok: true });

/** One step on a change (vote, sign-off, transition): its message beside it, typed input kept on refusal. */
export function StepForm({
  action,
  hidden,
  submitLabel,
  variant = "primary",
  children,
}: {
  action: FormAction;
  hidden: Record<string, string | number>;
  submitLabel: string;
  variant?: ButtonVariant;
  children?: React.ReactNode;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormMessage ok={state.ok} message={state.message} />
      <StepState.Provider value={state}>{children}</StepState.Provider>
      <StepUpPrompt state={state} />
      <SubmitButton variant={variant}>{submitLabel}</SubmitButton>
    </form>
  );
}

export function StepTextArea({ name, label, hint, rows = 2 }: { name: string; label: string; hint?: string; rows?: number }) {
  const state = useContext(StepState);
  const kept = state.ok ? "" : (state.values?.[name] as string | undefined);
  return <TextArea name={name} label={label} hint={hint} rows={rows} defaultValue={kept} error={state.fieldErrors?.[name]} />;
}

/** A date and time in the viewer's zone, posted as an ISO instant; kept on refusal. */
export function StepDateTime({ name, label }: { name: string; label: string }) {
  const state = useContext(StepState);
  const kept = state.ok ? "" : (state.values?.[name] as string | undefined);
  return <DateTimeField name={name} label={label} defaultValue={kept ?? ""} error={state.fieldErrors?.[name]} />;
}

/** With a placeholder the select starts on it (value ""), so the choice is the user's, never a default. */
export function StepSelect({
  name,
  label,
  options,
  placeholder,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  const kept = formValues(useContext(StepState));
  return (
    <label className="block text-sm">
      <span className="block font-medium text-slate-800">{label}</span>
      <select
        key={kept.text(name)}
        name={name}
        defaultValue={kept.text(name) || (placeholder === undefined ? options[0]?.value : "")}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      >
        {placeholder === undefined ? null : (
          <option value="" disabled>
            {placeholder}
          </option>
        )}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function StepRadios({
  name,
  legend,
  options,
  defaultValue,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
}) {
  const kept = formValues(useContext(StepState), defaultValue ? { [name]: defaultValue } : {});
  return (
    <fieldset className="flex gap-4 text-sm">
      <legend className="sr-only">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="flex items-center gap-1.5">
          <input {...kept.radio(name, o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function StepCheckbox({ name, label }: { name: string; label: string }) {
  const kept = formValues(useContext(StepState));
  return (
    <label className="flex items-center gap-2 text-sm">
      <input {...kept.checkbox(name)} className="size-4" /> {label}
    </label>
  );
}

const VOTE_CHOICES = VOTE_DECISIONS.map((d) => ({ value: d, label: d[0]!.toUpperCase() + d.slice(1) }));

/** A vote's role, decision and comment, on the change page and in the CAB queue. */
export function VoteFields({
  roles,
  legend,
  commentHint,
}: {
  roles: readonly { value: string; label: string }[];
  legend: string;
  commentHint?: string;
}) {
  return (
    <>
      {roles.length > 1 ? (
        <StepSelect name="role" label="Vote as" options={[...roles]} />
      ) : (
        <input type="hidden" name="role" value={roles[0]?.value ?? ""} />
      )}
      {/* Nothing preselected: approving, rejecting or abstaining is always an explicit choice. */}
      <StepRadios name="decision" legend={legend} options={VOTE_CHOICES} />
      <StepTextArea name="comment" label="Comment" hint={commentHint} />
    </>
  );
}
