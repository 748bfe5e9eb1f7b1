"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { RoleCheckboxes } from "./role-checkboxes";

export function CreateUserForm({ action }: { action: FormAction }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="max-w-xl space-y-5 rounded-lg bg-white p-6 ring-1 ring-slate-200" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <Field label="Full name" name="name" defaultValue={v.name as string} error={e.name} required autoComplete="off" />
      <Field label="Email address" name="email" type="email" defaultValue={v.email as string} error={e.email} required autoComplete="off" />
      <Field
        label="Temporary password"
        name="temporaryPassword"
        type="text"
        defaultValue={v.temporaryPassword as string}
        error={e.temporaryPassword}
        hint="At least 12 characters. Give it to the person; they must choose their own at first sign-in."
        required
        autoComplete="off"
      />
      <RoleCheckboxes selected={(v.roles as string[]) ?? []} error={e.roles} />
      <SubmitButton pendingLabel="Creating…">Create user</SubmitButton>
    </form>
  );
}
