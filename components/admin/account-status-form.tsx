"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

type Props = {
  action: FormAction;
  /** The hidden field naming the account, as the action reads it. */
  field: "userId" | "serviceAccountId";
  id: string;
  name: string;
  active: boolean;
  /** What deactivating does to this kind of account. */
  consequence: string;
};

/** Deactivate (after confirming) or reactivate an account: a person's or a service account's. */
export function AccountStatusForm({ action, field, id, name, active, consequence }: Props) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name={field} value={id} />
      <input type="hidden" name="active" value={String(!active)} />
      {active ? (
        <ConfirmSubmit label="Deactivate account" title={`Deactivate ${name}?`} body={consequence} confirmLabel="Deactivate" />
      ) : (
        <SubmitButton variant="secondary" pendingLabel="Reactivating…">
          Reactivate account
        </SubmitButton>
      )}
    </form>
  );
}
