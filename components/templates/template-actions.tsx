"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/lib/server/actions/form-state";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

export function ApproveTemplateForm({ action, templateId, version }: { action: Action; templateId: string; version: number }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="templateId" value={templateId} />
      <SubmitButton pendingLabel="Approving…">Approve version {version}</SubmitButton>
    </form>
  );
}

export function RetireTemplateForm({ action, templateId, title, version, inUse }: { action: Action; templateId: string; title: string; version: number; inUse: boolean }) {
  const [state, formAction] = useActionState(action, { ok: true });
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage ok={state.ok} message={state.message} />
      <input type="hidden" name="templateId" value={templateId} />
      <ConfirmSubmit
        label={inUse ? "Retire template" : "Retire proposal"}
        title={`Retire version ${version} of “${title}”?`}
        body={
          inUse
            ? "New standard changes can no longer use it. Changes that already used it keep their record. To bring it back, propose a new version."
            : "This proposal will not be approved. To try again, propose a new version."
        }
        confirmLabel="Retire"
      />
    </form>
  );
}
