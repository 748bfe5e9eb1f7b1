import { z } from "zod";
import { isUuid } from "./is-uuid";

// A use case's input, parsed with its schema after one check every schema needs: PostgreSQL cannot
// store a NUL character, nor a lone UTF-16 surrogate (no UTF-8 for it, and JSON with one is refused),
// so either anywhere is refused here, on its field, rather than by the database as an error.

export const NUL_MESSAGE = "Remove the invisible NUL character from this field.";
export const SURROGATE_MESSAGE = "Remove the broken character (half of an emoji or symbol) from this field.";

// With the u flag a surrogate pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Why a string cannot be stored, or null when it can. */
function unstorable(text: string): string | null {
  if (text.includes("\u0000")) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return null;
}

/** The first string in `input` (searched through arrays and plain objects) that cannot be stored: its path and why. */
export function firstUnstorable(input: unknown, path: PropertyKey[] = [], depth = 0): { path: PropertyKey[]; message: string } | null {
  if (typeof input === "string") {
    const message = unstorable(input);
    return message ? { path, message } : null;
  }
  if (depth > 8 || input === null || typeof input !== "object") return null;
  for (const [key, value] of Object.entries(input)) {
    const found = firstUnstorable(value, [...path, Array.isArray(input) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** `schema.safeParse(input)`, with a NUL or a lone surrogate anywhere refused as an issue on its field. */
export function safeParseInput<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  const found = firstUnstorable(input);
  if (found)
    return {
      success: false,
      error: new z.ZodError([{ code: "custom", path: found.path, message: found.message, input }]),
    } as z.ZodSafeParseResult<z.output<S>>;
  return schema.safeParse(input);
}

/** An input naming one row by its id, as a delete form posts it. */
export const idInputSchema = z.object({ id: z.string().refine(isUuid) });
