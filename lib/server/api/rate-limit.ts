import "server-only";
import { requestPool } from "../db/db";
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

/** The SQL expressions (parameters or columns) the count is written with. */
type CountTerms = { tokenId: string; from: string; limit: string; windowSeconds: string; at: string };

/**
 * The count as an INSERT (a data-modifying CTE in authenticateBearer's one statement): one row
 * per token, counting `requests` and answering `reset_seconds`, for each row of `from`.
 */
export function rateLimitCountSql({ tokenId, from, limit, windowSeconds, at }: CountTerms): string {
  const window = `make_interval(secs => ${windowSeconds})`;
  const expired = `r.window_started_at <= EXCLUDED.window_started_at - ${window}`;
  // Capped at limit + 1: "over" is all an answer needs, and a flood cannot overflow the counter.
  return `
    INSERT INTO api_rate_limits AS r (token_id, window_started_at, requests)
    SELECT ${tokenId}, ${at}, 1 FROM ${from}
    ON CONFLICT (token_id) DO UPDATE SET
      requests = CASE WHEN ${expired} THEN 1 ELSE LEAST(r.requests, ${limit}) + 1 END,
      window_started_at = CASE WHEN ${expired} THEN EXCLUDED.window_started_at ELSE r.window_started_at END
    RETURNING requests, ceil(extract(epoch FROM window_started_at + ${window} - ${at}))::int AS reset_seconds`;
}

/** What a count answered, as the request's limit state. */
export function rateLimitState(counted: { requests: number; reset_seconds: number }, limit: number, windowSeconds: number): RateLimitState {
  return {
    allowed: counted.requests <= limit,
    limit,
    remaining: Math.max(0, limit - counted.requests),
    resetSeconds: Math.min(windowSeconds, Math.max(1, counted.reset_seconds)),
  };
}

const TAKE_SQL = rateLimitCountSql({
  tokenId: "$1::uuid",
  from: "(SELECT) AS one",
  limit: "$2::int",
  windowSeconds: "$3::int",
  at: "COALESCE($4::timestamptz, now())",
});

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
  const { rows } = await requestPool().query<{ requests: number; reset_seconds: number }>({
    name: "api_take_rate_limit",
    text: TAKE_SQL,
    values: [tokenId, limit, windowSeconds, options.at ?? null],
  });
  return rateLimitState(rows[0]!, limit, windowSeconds);
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
