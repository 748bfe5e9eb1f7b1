import "server-only";
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { fieldErrorsOf, type RefusalKind, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { DATABASE_BUSY, isDatabaseBusy } from "../db/database-busy";

// The one way into a use case, whatever the transport: parse the input, find the actor, call
// the use case, revalidate what it changed, and turn anything unexpected into a message that
// names a logged reference instead of the error. Server actions (form-action.ts,
// search-action.ts) and route handlers differ only in where the actor comes from and how the
// outcome is written back.

/** A page to draw afresh after a success: a path, or a layout with every page under it. */
export type Revalidation = string | { layout: string };

export type UseCase<Raw, I, T> = {
  /** The transport's input as the use case takes it: a zod schema, or a mapping that cannot fail. */
  input: z.ZodType<I> | ((raw: Raw) => I);
  /** The use case: it checks the actor and the rules itself. */
  run: (actor: Actor | null, input: I) => Promise<Result<T>>;
  /** What a success changed on screen. */
  revalidate?: readonly Revalidation[] | ((value: T, input: I) => readonly Revalidation[]);
};

/** Why a call did not succeed: bad input, the use case's refusal, a busy database, or a failure of ours. */
export type FailureCause = "input" | "refused" | "busy" | "failed";

export type Outcome<I, T> =
  | { ok: true; input: I; value: T }
  | { ok: false; cause: FailureCause; input?: I; message: string; fieldErrors?: Record<string, string>; kind?: RefusalKind };

export const INPUT_REFUSAL = "Check the highlighted fields.";

const isSchema = (input: unknown): input is z.ZodType => typeof (input as z.ZodType).safeParse === "function";

/**
 * Runs one call of a use case. `actor` is the transport's way of knowing the caller (the session
 * for server actions); `after` runs inside the same guard once the use case has succeeded.
 * Next's redirect() and notFound() pass through, as they travel as exceptions.
 */
export async function runUseCase<Raw, I, T>(
  useCase: UseCase<Raw, I, T>,
  raw: Raw,
  actor: () => Promise<Actor | null>,
  after?: (value: T, input: I) => Promise<void> | void,
): Promise<Outcome<I, T>> {
  let input: I | undefined;
  try {
    if (isSchema(useCase.input)) {
      const parsed = useCase.input.safeParse(raw);
      if (!parsed.success) return { ok: false, cause: "input", message: INPUT_REFUSAL, fieldErrors: fieldErrorsOf(parsed.error.issues) };
      input = parsed.data;
    } else {
      input = useCase.input(raw);
    }
    const result = await useCase.run(await actor(), input);
    // A use case that caught the database's "busy" itself says so; the transport may answer "try again".
    if (!result.ok && result.kind === "busy") return { ok: false, cause: "busy", input, message: result.message };
    if (!result.ok)
      return { ok: false, cause: "refused", input, message: result.message, fieldErrors: result.fieldErrors, kind: result.kind };
    const paths = typeof useCase.revalidate === "function" ? useCase.revalidate(result.value, input) : (useCase.revalidate ?? []);
    for (const path of paths) {
      if (typeof path === "string") revalidatePath(path);
      else revalidatePath(path.layout, "layout");
    }
    await after?.(result.value, input);
    return { ok: true, input, value: result.value };
  } catch (error) {
    unstable_rethrow(error);
    if (isDatabaseBusy(error)) return { ok: false, cause: "busy", input, message: DATABASE_BUSY };
    const ref = randomUUID().slice(0, 8);
    console.error(`[action ${ref}]`, error);
    return {
      ok: false,
      cause: "failed",
      input,
      message: `Something went wrong (ref ${ref}). Try again; if it keeps happening, give the reference to an admin.`,
    };
  }
}
