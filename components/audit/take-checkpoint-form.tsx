"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/domain/form-state";

export function TakeCheckpointForm({ action }: { action: FormAction }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      <SubmitButton variant="secondary" pendingLabel="Signing…">
        Take a checkpoint now
      </SubmitButton>
    </form>
  );
}
