"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function SignOutEverywhereForm({ action }: { action: FormAction }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage ok={state.ok} message={state.message} />
      <p className="text-sm text-slate-600">Ends every session of yours, on every device, this one included.</p>
      <SubmitButton variant="secondary" pendingLabel="Signing out…">
        Sign out everywhere
      </SubmitButton>
    </form>
  );
}
