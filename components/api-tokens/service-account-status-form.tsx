"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function ServiceAccountStatusForm({ action, id, name, active }: { action: FormAction; id: string; name: string; active: boolean }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="serviceAccountId" value={id} />
      <input type="hidden" name="active" value={String(!active)} />
      {active ? (
        <ConfirmSubmit
          label="Deactivate"
          title={`Deactivate ${name}?`}
          body="Every token it holds is refused from its next request until an admin reactivates it. Its history stays."
          confirmLabel="Deactivate"
        />
      ) : (
        <SubmitButton variant="secondary" pendingLabel="Reactivating…">
          Reactivate
        </SubmitButton>
      )}
    </form>
  );
}
