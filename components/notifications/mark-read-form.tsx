"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/lib/server/actions/form-state";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

export function MarkReadForm({ action, id, label }: { action: Action; id?: string; label: string }) {
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
