import "server-only";
import { redirect } from "next/navigation";
import { toFormState, type FormAction, type FormValues } from "@/lib/domain/form-state";
import { currentActor } from "../auth/current-actor";
import { STEP_UP_CODE_FIELD, STEP_UP_PASSWORD_FIELD, stepUpGuard } from "../auth/step-up";
import { renewSessionAuthentication } from "../auth/step-up-session";
import { runUseCase, type UseCase } from "./run-use-case";

type FormActionSpec<I, T> = Omit<UseCase<FormData, I, T>, "input"> & {
  /** The form's fields as the use case takes them. */
  input: (form: FormData) => I;
  /** What a refusal sends back to the form, so it shows what was typed (components/ui/form-values.ts). */
  keep?: (input: I, form: FormData) => FormValues;
  /** The password change is the one action a temporary-password session may take. */
  allowPasswordChange?: boolean;
  /** After a success, inside the guard: what a form needs beyond revalidation (the session cookie). */
  after?: (value: T, input: I) => Promise<void> | void;
  /** Where the browser goes after a success; without it the form shows the success in place. */
  redirectTo?: (value: T, input: I) => string;
  /** A secret the success shows once in the form (see FormState.secret). */
  reveal?: (value: T) => string;
  /** A sensitive action: a fresh authentication first (step-up.ts); a function decides per form (a grant, not a removal). */
  stepUp?: boolean | ((form: FormData) => boolean);
};

/** A server action for useActionState: the session's actor, the use case, and its result as FormState. */
export function formAction<I, T>(spec: FormActionSpec<I, T>): FormAction {
  return async (_previous, form) => {
    let actor = () => currentActor({ allowPasswordChange: spec.allowPasswordChange });
    if (typeof spec.stepUp === "function" ? spec.stepUp(form) : spec.stepUp) {
      const guard = await stepUpGuard(await actor(), {
        code: text(form, STEP_UP_CODE_FIELD),
        password: text(form, STEP_UP_PASSWORD_FIELD),
      });
      if (!guard.ok) {
        const values = spec.keep ? spec.keep(spec.input(form), form) : undefined;
        return { ok: false, message: guard.message, fieldErrors: guard.fieldErrors, values, stepUp: guard.need };
      }
      if (guard.renewed) await renewSessionAuthentication(guard.renewed);
      actor = async () => guard.actor;
    }
    const outcome = await runUseCase(spec, form, actor, spec.after);
    if (outcome.ok && spec.redirectTo) redirect(spec.redirectTo(outcome.value, outcome.input));
    const state = toFormState(
      outcome,
      !outcome.ok && spec.keep && outcome.input !== undefined ? spec.keep(outcome.input, form) : undefined,
    );
    return outcome.ok && spec.reveal ? { ...state, secret: spec.reveal(outcome.value) } : state;
  };
}

/** A form field as text: missing is empty, a file is refused by the use case like any wrong text. */
export const text = (form: FormData, name: string): string => String(form.get(name) ?? "");

/** Several fields as text, by name. */
export const texts = (form: FormData, names: readonly string[]): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, text(form, name)]));

/** A checkbox group or multi-select. */
export const list = (form: FormData, name: string): string[] => form.getAll(name).map(String);
