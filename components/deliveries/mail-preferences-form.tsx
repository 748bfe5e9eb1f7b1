"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { MAIL_SUBJECTS } from "@/lib/domain/mail-kinds";
import { NOTIFICATION_KIND_LABELS, type NotificationKind } from "@/lib/domain/notification-kinds";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { formValues } from "@/components/ui/form-values";

type Preference = { kind: NotificationKind; enabled: boolean; locked: boolean };

/** One box per kind of mail; those that ask the reader to act are ticked and cannot be unticked. */
export function MailPreferencesForm({ action, preferences }: { action: FormAction; preferences: Preference[] }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const values = formValues(state, { enabled: preferences.filter((p) => p.enabled && !p.locked).map((p) => p.kind) });
  return (
    <form action={formAction} className="space-y-4">
      <FormMessage ok={state.ok} message={state.message} />
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-900">Send me a mail when</legend>
        {preferences.map((p) => (
          <label key={p.kind} className="flex items-start gap-3 text-sm">
            {p.locked ? (
              <input type="checkbox" checked disabled aria-describedby={`locked-${p.kind}`} className="mt-0.5 h-4 w-4" />
            ) : (
              <input {...values.checkbox("enabled", p.kind)} className="mt-0.5 h-4 w-4" />
            )}
            <span>
              <span className="font-medium">{NOTIFICATION_KIND_LABELS[p.kind]}</span>
              {MAIL_SUBJECTS[p.kind] === NOTIFICATION_KIND_LABELS[p.kind] ? null : (
                <span className="block text-slate-600">{MAIL_SUBJECTS[p.kind]}</span>
              )}
              {p.locked ? (
                <span id={`locked-${p.kind}`} className="block text-xs text-slate-500">
                  Always sent: it asks you to act.
                </span>
              ) : null}
            </span>
          </label>
        ))}
      </fieldset>
      <SubmitButton pendingLabel="Saving…">Save mail choices</SubmitButton>
    </form>
  );
}
