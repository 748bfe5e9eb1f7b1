"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/domain/form-state";

export function MarkReadForm({ action, id, label }: { action: FormAction; id?: string; label: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="flex items-center gap-2">
      {id ? <input type="hidden" name="id" value={id} /> : <input type="hidden" name="all" value="1" />}
      {state.ok ? null : <FormMessage ok={false} message={state.message} />}
      <SubmitButton variant="secondary" pendingLabel="Marking…">
        {label}
      </SubmitButton>
    </form>
  );
}
