"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { SubmitButton } from "@/components/ui/submit-button";
import { OneTimeSecret } from "./one-time-secret";

/** One action on a subscription (test, rotate, delete), with its answer beside it; `confirm` asks first. */
export function WebhookButtonForm({
  action,
  subscriptionId,
  label,
  pendingLabel,
  confirm,
}: {
  action: FormAction;
  subscriptionId: string;
  label: string;
  pendingLabel: string;
  confirm?: { title: string; body: string; confirmLabel: string; variant?: "danger" | "secondary" };
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="subscriptionId" value={subscriptionId} />
      <StepUpPrompt state={state} />
      {confirm ? (
        <ConfirmSubmit label={label} {...confirm} />
      ) : (
        <SubmitButton variant="secondary" pendingLabel={pendingLabel}>
          {label}
        </SubmitButton>
      )}
      {state.secret ? (
        <OneTimeSecret secret={state.secret} message={state.message} />
      ) : (
        <FormMessage ok={state.ok} message={state.message} />
      )}
    </form>
  );
}
