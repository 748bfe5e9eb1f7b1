"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function ResetPasswordForm({ action, userId }: { action: FormAction; userId: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="userId" value={userId} />
      <Field
        label="New temporary password"
        name="temporaryPassword"
        type="text"
        autoComplete="off"
        defaultValue={state.ok ? "" : (state.values?.temporaryPassword as string)}
        error={state.fieldErrors?.temporaryPassword}
        hint="At least 12 characters. The user must replace it at their next sign-in."
      />
      <SubmitButton variant="secondary" pendingLabel="Setting…">
        Set temporary password
      </SubmitButton>
    </form>
  );
}
