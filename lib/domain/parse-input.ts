import { z } from "zod";
import { isUuid } from "./is-uuid";

// A use case's input, parsed with its schema after one check every schema needs: PostgreSQL's
// text cannot hold a NUL character, so a NUL anywhere is refused here, on its field, rather than
// by the database as an error.

export const NUL_MESSAGE = "Remove the invisible NUL character from this field.";

/** The path of the first string in `input` (searched through arrays and plain objects) that holds a NUL. */
export function pathOfNul(input: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[] | null {
  if (typeof input === "string") return input.includes("\u0000") ? path : null;
  if (depth > 8 || input === null || typeof input !== "object") return null;
  for (const [key, value] of Object.entries(input)) {
    const found = pathOfNul(value, [...path, Array.isArray(input) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** `schema.safeParse(input)`, with a NUL anywhere refused as an issue on its field. */
export function safeParseInput<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  const path = pathOfNul(input);
  if (path)
    return { success: false, error: new z.ZodError([{ code: "custom", path, message: NUL_MESSAGE, input }]) } as z.ZodSafeParseResult<
      z.output<S>
    >;
  return schema.safeParse(input);
}

/** An input naming one row by its id, as a delete form posts it. */
export const idInputSchema = z.object({ id: z.string().refine(isUuid) });
