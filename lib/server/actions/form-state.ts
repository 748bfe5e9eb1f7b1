import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import type { Result } from "@/lib/domain/result";
import { DATABASE_BUSY, isDatabaseBusy } from "../db/database-busy";

/** What a server action gives back to its form: a message, per-field errors, and what was typed. */
export type FormState = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string | string[]>;
};

export function toFormState(result: Result<{ message: string } | unknown>, values?: FormState["values"]): FormState {
  if (result.ok) {
    const value = result.value as { message?: string } | undefined;
    return { ok: true, message: value?.message };
  }
  return { ok: false, message: result.message, fieldErrors: result.fieldErrors, values };
}

/** Runs an action body; an unexpected error is logged with a reference and never shown as a stack trace. */
export async function safely(body: () => Promise<FormState>): Promise<FormState> {
  try {
    return await body();
  } catch (error) {
    unstable_rethrow(error); // redirect() and notFound() travel as exceptions.
    if (isDatabaseBusy(error)) return { ok: false, message: DATABASE_BUSY };
    const ref = randomUUID().slice(0, 8);
    console.error(`[action ${ref}]`, error);
    return { ok: false, message: `Something went wrong (ref ${ref}). Try again; if it keeps happening, give the reference to an admin.` };
  }
}
