"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function AccountStatusForm({ action, userId, name, active }: { action: FormAction; userId: string; name: string; active: boolean }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={String(!active)} />
      {active ? (
        <ConfirmSubmit
          label="Deactivate account"
          title={`Deactivate ${name}?`}
          body="They are signed out at their next request and cannot sign in until an admin reactivates the account. Their history stays."
          confirmLabel="Deactivate"
        />
      ) : (
        <SubmitButton variant="secondary" pendingLabel="Reactivating…">
          Reactivate account
        </SubmitButton>
      )}
    </form>
  );
}
