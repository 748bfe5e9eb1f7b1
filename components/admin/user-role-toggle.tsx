"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { SubmitButton } from "@/components/ui/submit-button";

/** One role of one user: shows whether they hold it and grants or removes it. */
export function UserRoleToggle({
  action,
  userId,
  role,
  label,
  held,
  requestNote,
}: {
  action: FormAction;
  userId: string;
  role: string;
  label: string;
  held: boolean;
  /** A privileged role not held: granted only through a request, so no grant button, this note instead. */
  requestNote?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-2.5">
      <div>
        <p className="text-sm font-medium">{label}</p>
        <p className="text-xs text-slate-500">{held ? "Held" : "Not held"}</p>
      </div>
      {!held && requestNote ? (
        <p className="text-xs text-slate-500">{requestNote}</p>
      ) : (
        <form action={formAction} className="flex items-center gap-3">
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="role" value={role} />
          <input type="hidden" name="grant" value={String(!held)} />
          {!state.ok ? <FormMessage ok={false} message={state.message} /> : null}
          <StepUpPrompt state={state} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            {held ? `Remove ${label}` : `Grant ${label}`}
          </SubmitButton>
        </form>
      )}
    </li>
  );
}
