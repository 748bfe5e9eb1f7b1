"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/domain/form-state";
import { CiPicker, type PickerCi } from "./ci-picker";

/** The CIs this one depends on; saved as one set, refused if it would make a loop. */
export function CiDependenciesForm({
  action,
  search,
  ci,
  dependsOn,
}: {
  action: FormAction;
  search: (query: string) => Promise<PickerCi[]>;
  ci: { id: string; name: string; updatedAt: string };
  dependsOn: PickerCi[];
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="id" value={ci.id} />
      <input type="hidden" name="updatedAt" value={ci.updatedAt} />
      <CiPicker
        name="dependsOnIds"
        legend="Depends on"
        hint={`A change to any of these can affect ${ci.name}.`}
        initial={dependsOn}
        search={search}
        excludeId={ci.id}
        error={state.fieldErrors?.dependsOnIds}
      />
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save dependencies
      </SubmitButton>
    </form>
  );
}
