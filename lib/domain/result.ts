/**
 * What kind of refusal, for transports that answer with a status (the REST API): no such record
 * (or one the caller may not see: the same answer), a clash with the record's current state, or a
 * database too busy to finish (try again), or a record changed since the caller read it (the
 * API's 412). Unset: the rules refuse this caller (403).
 */
export type RefusalKind = "not_found" | "conflict" | "busy" | "stale";

/** What a use case returns: a value, or a refusal the user can act on (with per-field messages for forms). */
export type Result<T = void> =
  { ok: true; value: T } | { ok: false; message: string; fieldErrors?: Record<string, string>; kind?: RefusalKind };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (message: string, fieldErrors?: Record<string, string>): Result<never> => ({ ok: false, message, fieldErrors });
/** A refusal of a given kind, e.g. `refuseAs("not_found", "There is no such change.")`. */
export const refuseAs = (kind: RefusalKind, message: string): Result<never> => ({ ok: false, message, kind });

/** The first message per field of a zod error's issues, keyed by the field's path. */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}
