"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * One step of the second factor's setup or management (start, confirm, turn off, new recovery
 * codes): a code field when `codeLabel` is given; recovery codes a success returns are shown once.
 */
export function SecondFactorForm({
  action,
  submitLabel,
  codeLabel,
  variant = "primary",
}: {
  action: FormAction;
  submitLabel: string;
  codeLabel?: string;
  variant?: "primary" | "secondary" | "danger";
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const codes = state.ok && state.secret ? state.secret.split("\n") : null;
  if (codes)
    return (
      <div className="space-y-3" data-testid="recovery-codes">
        <FormMessage ok message={state.message} />
        <p className="text-sm text-slate-700">
          Each recovery code signs you in once if you lose your phone. They are shown only now: print them or keep them in a password
          manager.
        </p>
        <ol className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-3 font-mono text-sm ring-1 ring-slate-200">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <Link href="/account/security" className="text-sm font-medium text-indigo-700 underline">
          I have kept them: done
        </Link>
      </div>
    );
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      {codeLabel ? (
        <Field
          label={codeLabel}
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={40}
          required
          error={state.fieldErrors?.code}
        />
      ) : null}
      <SubmitButton variant={variant}>{submitLabel}</SubmitButton>
    </form>
  );
}
