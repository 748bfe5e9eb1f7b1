"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { formValues } from "@/components/ui/form-values";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { OneTimeValue } from "@/components/ui/one-time-value";
import { StepUpPrompt } from "@/components/auth/step-up-prompt";
import { API_SCOPE_LABELS, API_SCOPES, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from "@/lib/domain/api-scopes";

/** The form's state after issuing: the token itself, this once. */

const EXPIRY_CHOICES = [7, 30, DEFAULT_TOKEN_DAYS, 180, MAX_TOKEN_DAYS];

export function TokenForm({ action, serviceAccountId }: { action: FormAction; serviceAccountId?: string }) {
  const [state, formAction] = useActionState(action, { ok: true });
  const f = formValues(state, { expiresInDays: String(DEFAULT_TOKEN_DAYS) });
  const e = state.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      {state.secret ? <OneTimeToken token={state.secret} /> : <FormMessage ok={state.ok} message={state.message} />}
      <form action={formAction} className="space-y-4" noValidate>
        {serviceAccountId ? <input type="hidden" name="serviceAccountId" value={serviceAccountId} /> : null}
        <Field
          label="Token name"
          {...f.field("name")}
          error={e.name}
          hint="What uses it, e.g. “deploy pipeline”."
          autoComplete="off"
          required
        />
        <fieldset className="space-y-2" aria-describedby={e.scopes ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input {...f.checkbox("scopes", scope)} className="size-4 rounded border-slate-300" />
                <code className="text-xs">{scope}</code> <span className="text-slate-600">{API_SCOPE_LABELS[scope]}</span>
              </label>
            ))}
          </div>
          {e.scopes ? (
            <p id="scopes-error" className="text-sm text-rose-700">
              {e.scopes}
            </p>
          ) : (
            <p className="text-xs text-slate-500">A scope limits the token; the account&apos;s roles still decide every call.</p>
          )}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`expiry-${serviceAccountId ?? "own"}`} className="block text-sm font-medium text-slate-800">
            Expires after
          </label>
          <select
            id={`expiry-${serviceAccountId ?? "own"}`}
            key={f.text("expiresInDays")}
            {...f.field("expiresInDays")}
            aria-invalid={e.expiresInDays ? true : undefined}
            className="block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {EXPIRY_CHOICES.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
          {e.expiresInDays ? <p className="text-sm text-rose-700">{e.expiresInDays}</p> : null}
        </div>
        <StepUpPrompt state={state} />
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </form>
    </div>
  );
}

function OneTimeToken({ token }: { token: string }) {
  return (
    <OneTimeValue
      value={token}
      label="New token"
      testId="new-token"
      what="token"
      hint={
        <>
          Send it as <code>Authorization: Bearer …</code>. Keep it in a secret store, never in code.
        </>
      }
    />
  );
}
