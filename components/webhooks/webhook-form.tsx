"use client";

import { useActionState, useId } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMAT_LABELS, WEBHOOK_FORMATS } from "@/lib/domain/webhook-events";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { formValues } from "@/components/ui/form-values";
import { SubmitButton } from "@/components/ui/submit-button";
import { OneTimeSecret } from "./one-time-secret";

export type WebhookFormInitial = {
  subscriptionId?: string;
  name: string;
  url: string;
  eventTypes: string[];
  format: string;
  active: boolean;
};

/** Creates a subscription (showing its secret once) or edits one. */
export function WebhookForm({ action, initial }: { action: FormAction; initial?: WebhookFormInitial }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const f = formValues(state, {
    name: initial?.name ?? "",
    url: initial?.url ?? "",
    eventTypes: initial?.eventTypes ?? [],
    format: initial?.format ?? "standard",
    active: initial === undefined || initial.active ? "on" : "",
  });
  const e = state.fieldErrors ?? {};
  const id = useId();
  return (
    <div className="space-y-4">
      {state.secret ? (
        <OneTimeSecret secret={state.secret} message={state.message} />
      ) : (
        <FormMessage ok={state.ok} message={state.message} />
      )}
      <form action={formAction} className="space-y-4" noValidate>
        {initial?.subscriptionId ? <input type="hidden" name="subscriptionId" value={initial.subscriptionId} /> : null}
        <Field
          label="Name"
          {...f.field("name")}
          error={e.name}
          hint="Who receives it, e.g. “SIEM” or “#changes channel”."
          autoComplete="off"
        />
        <Field
          label="URL"
          {...f.field("url")}
          error={e.url}
          hint="The receiver's https:// address. Private and loopback addresses are refused unless the server's allow-list names them."
          autoComplete="off"
          inputMode="url"
        />
        <fieldset className="space-y-2" aria-describedby={e.eventTypes ? `${id}-events-error` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Events</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input {...f.checkbox("eventTypes", type)} className="size-4 rounded border-slate-300" />
                <span>{WEBHOOK_EVENT_LABELS[type]}</span> <code className="text-xs text-slate-500">{type}</code>
              </label>
            ))}
          </div>
          {e.eventTypes ? (
            <p id={`${id}-events-error`} className="text-sm text-rose-700">
              {e.eventTypes}
            </p>
          ) : null}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`${id}-format`} className="block text-sm font-medium text-slate-800">
            Message format
          </label>
          <select
            id={`${id}-format`}
            key={f.text("format")}
            {...f.field("format")}
            aria-invalid={e.format ? true : undefined}
            className="block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {WEBHOOK_FORMATS.map((format) => (
              <option key={format} value={format}>
                {WEBHOOK_FORMAT_LABELS[format]}
              </option>
            ))}
          </select>
          {e.format ? <p className="text-sm text-rose-700">{e.format}</p> : null}
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input {...f.checkbox("active")} className="size-4 rounded border-slate-300" /> Send (untick to pause the subscription)
        </label>
        <SubmitButton pendingLabel="Saving…">{initial?.subscriptionId ? "Save" : "Subscribe"}</SubmitButton>
      </form>
    </div>
  );
}
