"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Ends a delegation now (its delegator, its delegate or an admin). */
export function EndDelegationForm({ action, id, label = "End now" }: { action: FormAction; id: string; label?: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="id" value={id} />
      <SubmitButton variant="secondary" pendingLabel="Ending…">
        {label}
      </SubmitButton>
    </form>
  );
}
