import "server-only";
import { z } from "zod";
import { optionalParam } from "@/lib/domain/search-params";
import { refuse, ok, type Result } from "@/lib/domain/result";
import { decodeKeyCursor } from "./api-cursor";

// What every paged /api/v1 list shares besides the changes' (change-schemas.ts): a bounded page
// size, a signed cursor bound to its list, the `next` link, and the pages' reads as results.

export const API_LIMIT_MAX = 100;
export const API_LIMIT_DEFAULT = 25;
const LIMIT_MESSAGE = `Give a whole number from 1 to ${API_LIMIT_MAX}.`;

/** `limit`: 1 to 100, 25 unless given. */
export const limitParam = optionalParam(
  z
    .string()
    .regex(/^\d{1,3}$/, LIMIT_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(1, LIMIT_MESSAGE).max(API_LIMIT_MAX, LIMIT_MESSAGE)),
).default(API_LIMIT_DEFAULT);

export const CURSOR_MESSAGE = "This cursor was not given out by this API for this list; start again without one.";

/** `cursor`: one this portal signed for the list `kind`, as the key it names. */
export const keyCursorParam = (kind: string) =>
  optionalParam(
    z.string().transform((text, ctx) => {
      const key = decodeKeyCursor(kind, text);
      if (key !== null) return key;
      ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE });
      return z.NEVER;
    }),
  );

/** A page of `item`s with the next page's cursor and address. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** The next page's cursor, or null on the last page. */
    nextCursor: z.string().nullable(),
    /** The next page's address (this query with the cursor), or null. */
    next: z.string().nullable(),
  });

/** The page as JSON, with `next` (and a Link header) built from the request's own query. */
export function pageResponse<T>({ items, nextCursor }: { items: T[]; nextCursor: string | null }, request: Request): Response {
  let next: string | null = null;
  if (nextCursor) {
    const url = new URL(request.url);
    url.searchParams.set("cursor", nextCursor);
    next = `${url.pathname}${url.search}`;
  }
  const headers = { "Cache-Control": "no-store", ...(next ? { Link: `<${next}>; rel="next"` } : {}) };
  return Response.json({ items, nextCursor, next }, { headers });
}

// How a page's read refuses a viewer whose roles do not allow it: Next's forbidden(), the 403 page.
const FORBIDDEN_DIGEST = "NEXT_HTTP_ERROR_FALLBACK;403";

/**
 * A page's read as a result: the 403 its read throws for a viewer without the role (recorded as
 * a denial by the read) becomes a refusal in `message`, the same words the page's actions use.
 */
export async function pageRead<T>(read: () => Promise<T>, message: string): Promise<Result<T>> {
  try {
    return ok(await read());
  } catch (error) {
    if ((error as { digest?: unknown } | null)?.digest === FORBIDDEN_DIGEST) return refuse(message);
    throw error;
  }
}
