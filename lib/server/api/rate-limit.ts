import "server-only";
import { db } from "../db/db";
import { env } from "../env";

// Requests per token in a fixed window, counted in PostgreSQL: every instance counts against the
// same row, and one INSERT ... ON CONFLICT per request both counts and answers, so concurrent
// requests are serialized on the row and never count past each other.

export const RATE_WINDOW_SECONDS = 60;

export type RateLimitState = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again (at least 1). */
  resetSeconds: number;
};

/**
 * Counts one request of the token and says whether it is within the limit. `at` stands in for
 * the database's clock (tests); the database's `now()` otherwise, the one clock every instance shares.
 */
export async function takeRateLimit(
  tokenId: string,
  options: { limit?: number; windowSeconds?: number; at?: Date } = {},
): Promise<RateLimitState> {
  const limit = options.limit ?? env().API_RATE_LIMIT_PER_MINUTE;
  const windowSeconds = options.windowSeconds ?? RATE_WINDOW_SECONDS;
  const at = options.at ?? null;
  // Capped at limit + 1: "over" is all an answer needs, and a flood cannot overflow the counter.
  const rows = await db().$queryRaw<{ requests: number; reset_seconds: number }[]>`
    INSERT INTO api_rate_limits AS r (token_id, window_started_at, requests)
    VALUES (${tokenId}::uuid, COALESCE(${at}::timestamptz, now()), 1)
    ON CONFLICT (token_id) DO UPDATE SET
      requests = CASE WHEN r.window_started_at <= EXCLUDED.window_started_at - make_interval(secs => ${windowSeconds})
        THEN 1 ELSE LEAST(r.requests, ${limit}) + 1 END,
      window_started_at = CASE WHEN r.window_started_at <= EXCLUDED.window_started_at - make_interval(secs => ${windowSeconds})
        THEN EXCLUDED.window_started_at ELSE r.window_started_at END
    RETURNING requests,
      ceil(extract(epoch FROM window_started_at + make_interval(secs => ${windowSeconds}) - COALESCE(${at}::timestamptz, now())))::int AS reset_seconds`;
  const { requests, reset_seconds } = rows[0]!;
  return {
    allowed: requests <= limit,
    limit,
    remaining: Math.max(0, limit - requests),
    resetSeconds: Math.min(windowSeconds, Math.max(1, reset_seconds)),
  };
}

/** The headers every answer to an authenticated request carries (IETF RateLimit header fields draft). */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}

/** The response with the rate limit's headers added (every answer once the token is known). */
export function withRateLimitHeaders(response: Response, headers: Record<string, string>): Response {
  const set = (r: Response) => {
    for (const [name, value] of Object.entries(headers)) r.headers.set(name, value);
    return r;
  };
  try {
    return set(response);
  } catch {
    // Immutable headers (Response.redirect): the first set throws, and a copy takes them.
    return set(new Response(response.body, response));
  }
}
