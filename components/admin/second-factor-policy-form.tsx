"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { formValues } from "@/components/ui/form-values";

/** Whether approvers need a second factor (an app setting; changes are audited). */
export function SecondFactorPolicyForm({ action, policy }: { action: FormAction; policy: "required" | "off" }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const kept = formValues(state, { policy });
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-3">
      <label className="block text-sm">
        <span className="block font-medium text-slate-800">Approvers need a second factor</span>
        <select
          key={kept.text("policy")}
          name="policy"
          defaultValue={kept.text("policy")}
          className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          <option value="required">Required</option>
          <option value="off">Off</option>
        </select>
      </label>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save policy
      </SubmitButton>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
