"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { formValues } from "@/components/ui/form-values";
import { SubmitButton } from "@/components/ui/submit-button";

/** Asks for a privileged role for this user; a second admin approves it. */
export function RoleRequestForm({
  action,
  userId,
  choices,
}: {
  action: FormAction;
  userId: string;
  choices: readonly { role: string; label: string }[];
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const v = formValues(state);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="mt-4 space-y-3 border-t border-slate-100 pt-4" noValidate>
      <h3 className="text-sm font-semibold">Request a privileged role</h3>
      <p className="text-xs text-slate-500">A second admin must approve it on Role requests before it takes effect.</p>
      <FormMessage ok={state.ok} message={state.message} />
      <StepUpPrompt state={state} />
      <input type="hidden" name="userId" value={userId} />
      <div className="space-y-1">
        <label htmlFor="request-role" className="block text-sm font-medium text-slate-800">
          Role
        </label>
        <select
          id="request-role"
          key={v.text("role")}
          {...v.field("role")}
          aria-invalid={e.role ? true : undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          {choices.map((c) => (
            <option key={c.role} value={c.role}>
              {c.label}
            </option>
          ))}
        </select>
        {e.role ? <p className="text-sm text-rose-700">{e.role}</p> : null}
      </div>
      <Field
        label="Reason"
        {...v.field("reason")}
        error={e.reason}
        hint="Why they need it; the approving admin and the audit log see it."
        maxLength={1000}
      />
      <SubmitButton variant="secondary" pendingLabel="Requesting…">
        Request role
      </SubmitButton>
    </form>
  );
}
