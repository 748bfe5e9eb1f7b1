"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";

/** One confirmed button that ends a session, or several: the hidden fields say which. */
export function EndSessionForm({
  action,
  fields,
  label,
  title,
  body,
  confirmLabel,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  title: string;
  body: string;
  confirmLabel: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage ok={state.ok} message={state.message} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ConfirmSubmit label={label} title={title} body={body} confirmLabel={confirmLabel} />
    </form>
  );
}
