import type { Result } from "./result";
import type { StepUpNeed } from "./step-up";

// The contract between a server action and its form, importable by client components.

/** What was typed, by field name: a checkbox group or multi-select is a list. */
export type FormValues = Record<string, string | string[]>;

/** What a server action gives back to its form: a message, per-field errors, and what was typed. */
export type FormState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: FormValues;
  /** A secret the form shows once after a success (a new API token); never stored or put in a URL. */
  secret?: string;
  /** A sensitive action asks for a fresh authentication first (lib/domain/step-up.ts): the form shows the prompt. */
  stepUp?: StepUpNeed;
};

/** A server action as useActionState calls it. */
export type FormAction = (state: FormState, form: FormData) => Promise<FormState>;

/** A use case's result as its form shows it; a refusal carries what was typed back. */
export function toFormState(result: Result<unknown>, values?: FormValues): FormState {
  if (result.ok) {
    const value = result.value as { message?: unknown } | undefined;
    return { ok: true, message: typeof value?.message === "string" ? value.message : undefined };
  }
  return { ok: false, message: result.message, fieldErrors: result.fieldErrors, values };
}
