"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/domain/form-state";

/**
 * Approve and retire for one template version. The results live here, above the buttons, so
 * "approved" or "retired" stays on screen after the page re-renders without those buttons.
 */
export function TemplateActions({
  approve,
  retire,
  template,
  approval,
  canRetire,
  children,
}: {
  approve: FormAction;
  retire: FormAction;
  template: { id: string; title: string; version: number; inUse: boolean };
  /** null: approval is not a question for this version (not proposed). */
  approval: { allowed: true } | { allowed: false; reason: string } | null;
  canRetire: boolean;
  children?: React.ReactNode;
}) {
  const [approved, approveAction] = useActionState(approve, { ok: true });
  const [retired, retireAction] = useActionState(retire, { ok: true });
  return (
    <div className="space-y-3">
      <FormMessage ok={approved.ok} message={approved.message} />
      <FormMessage ok={retired.ok} message={retired.message} />
      {approval?.allowed ? (
        <form action={approveAction}>
          <input type="hidden" name="templateId" value={template.id} />
          <SubmitButton pendingLabel="Approving…">Approve version {template.version}</SubmitButton>
        </form>
      ) : approval ? (
        <p className="text-sm text-slate-600">{approval.reason}</p>
      ) : null}
      {children}
      {canRetire ? (
        <form action={retireAction}>
          <input type="hidden" name="templateId" value={template.id} />
          <ConfirmSubmit
            label={template.inUse ? "Retire template" : "Retire proposal"}
            title={`Retire version ${template.version} of “${template.title}”?`}
            body={
              template.inUse
                ? "New standard changes can no longer use it. Changes that already used it keep their record. To bring it back, propose a new version."
                : "This proposal will not be approved. To try again, propose a new version."
            }
            confirmLabel="Retire"
          />
        </form>
      ) : null}
    </div>
  );
}
