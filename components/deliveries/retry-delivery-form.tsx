"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Sends a dead or waiting delivery again now. */
export function RetryDeliveryForm({ action, deliveryId }: { action: FormAction; deliveryId: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <SubmitButton variant="secondary" pendingLabel="Queuing…">
        Retry now
      </SubmitButton>
    </form>
  );
}
