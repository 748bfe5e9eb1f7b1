/** What a use case returns: a value, or a refusal the user can act on (with per-field messages for forms). */
export type Result<T = void> = { ok: true; value: T } | { ok: false; message: string; fieldErrors?: Record<string, string> };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (message: string, fieldErrors?: Record<string, string>): Result<never> => ({ ok: false, message, fieldErrors });

/** The first message per field of a zod error's issues, keyed by the field's path. */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}
