"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";

export function RevokeTokenForm({ action, tokenId, name }: { action: FormAction; tokenId: string; name: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="tokenId" value={tokenId} />
      <ConfirmSubmit
        label="Revoke"
        title={`Revoke “${name}”?`}
        body="Its next request is refused. Whatever uses it stops working until it is given a new token. This cannot be undone."
        confirmLabel="Revoke token"
      />
    </form>
  );
}
