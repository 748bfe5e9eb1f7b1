"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import type { FormAction } from "@/lib/domain/form-state";

/** A destructive one-button form that asks first (remove a freeze, a maintenance window). */
export function ConfirmForm({
  action,
  hidden,
  label,
  title,
  body,
  confirmLabel,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  label: string;
  title: string;
  body: string;
  confirmLabel: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state.ok ? null : <FormMessage ok={false} message={state.message} />}
      <ConfirmSubmit label={label} title={title} body={body} confirmLabel={confirmLabel} />
    </form>
  );
}
