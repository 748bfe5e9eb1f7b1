"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { formValues } from "@/components/ui/form-values";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { SERVICE_ACCOUNT_ROLES } from "@/lib/domain/service-accounts";

export function ServiceAccountForm({ action }: { action: FormAction }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const f = formValues(state);
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <Field label="Name" {...f.field("name")} error={e.name} hint="What it is, e.g. “Deploy pipeline”." autoComplete="off" required />
      <fieldset className="space-y-2" aria-describedby={e.roles ? "sa-roles-error" : "sa-roles-hint"}>
        <legend className="text-sm font-medium text-slate-800">Roles</legend>
        <div className="flex flex-wrap gap-4">
          {SERVICE_ACCOUNT_ROLES.map((role) => (
            <label key={role} className="flex items-center gap-2 text-sm">
              <input {...f.checkbox("roles", role)} className="size-4 rounded border-slate-300" />
              {ROLE_LABELS[role]}
            </label>
          ))}
        </div>
        {e.roles ? (
          <p id="sa-roles-error" className="text-sm text-rose-700">
            {e.roles}
          </p>
        ) : (
          <p id="sa-roles-hint" className="text-xs text-slate-500">
            A service account is not a person: it never votes, signs off, waives or approves, so it holds no approving role.
          </p>
        )}
      </fieldset>
      <SubmitButton pendingLabel="Creating…">Create service account</SubmitButton>
    </form>
  );
}
