import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ApiScope } from "@/lib/domain/api-scopes";
import type { Result } from "@/lib/domain/result";
import { repeatedParams } from "@/lib/domain/search-params";
import { SECOND_FACTOR_HEADER } from "@/lib/domain/step-up";
import { runUseCase, type Outcome } from "../actions/run-use-case";
import { apiStepUpGuard, type ApiStepUpGuard } from "../auth/step-up";
import { DATABASE_BUSY, isDatabaseBusy } from "../db/database-busy";
import { authenticateBearer, type ApiActor } from "./authenticate-bearer";
import { idempotent } from "./idempotency";
import { preconditionFailed, readIfMatch, type Preconditions } from "./preconditions";
import { prefersMinimal } from "./prefer";
import { problemResponse, type Problem } from "./problem";
import { withRateLimitHeaders } from "./rate-limit";

// The route handlers' way into a use case: the Bearer token's actor, the input from the query
// (GET) or the JSON body (other methods) with the path's parameters, the one core the server
// actions share (runUseCase), and the outcome written as JSON or RFC 9457 problem+json.

/** The largest JSON body a route reads; a longer one is refused before it is parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };

export type ApiRoute<I, T> = {
  /** The scope the token must carry (null: any token, as /me). */
  scope: ApiScope | null;
  /** The query or body, with the path's parameters merged in, as the use case takes it. */
  input: z.ZodType<I>;
  /** The use case: it checks the actor and the rules itself. */
  run: (actor: ApiActor, input: I, conditions: Preconditions) => Promise<Result<T>>;
  /** A write to one change (its id in the input): If-Match's version reaches `run`; a stale one is a 412. */
  ifMatch?: (input: I) => string;
  /** The success's response; plain JSON unless given. */
  respond?: (value: T, request: Request) => Response;
  /** Query parameters that may be given more than once; each comes to `input` as an array of its values. */
  repeatable?: readonly string[];
  /** A write that answers 204 with its ETag alone to `Prefer: return=minimal` (prefer.ts); `run` finds it in its conditions. */
  returnMinimal?: boolean;
  /** An approval, as its page form's `stepUp`: a second factor's code in X-Second-Factor when the rule asks for one (apiStepUpGuard). */
  stepUp?: boolean;
};

const NO_STORE = { "Cache-Control": "no-store" };

/** A route handler (GET, POST, ...) for a use case; it carries its declaration, so tests can find its path. */
export function apiRoute<I, T>(route: ApiRoute<I, T>) {
  const handler = async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const auth = await authenticateBearer(request, { scope: route.scope, attempted: `${request.method} ${url.pathname}` });
      if (!auth.ok) return problemResponse(auth.refusal);
      const limited = (response: Response) => withRateLimitHeaders(response, auth.headers);
      const fromQuery = request.method === "GET" || request.method === "HEAD";
      const raw = fromQuery ? queryInput(url.searchParams, route.repeatable) : await bodyInput(request);
      if ("problem" in raw) return limited(problemResponse(raw.problem));
      const pre = route.ifMatch ? readIfMatch(request) : { conditions: {} };
      if ("problem" in pre) return limited(problemResponse(pre.problem));
      const conditions = route.returnMinimal && prefersMinimal(request) ? { ...pre.conditions, minimal: true } : pre.conditions;
      const params = (await context?.params) ?? {};
      const input = { ...raw.value, ...params };
      const answer = async () => {
        let actor = auth.actor;
        if (route.stepUp) {
          // Inside the idempotent answer: a retry of a done approval gets its first answer, not a second use of its code.
          const guard = await apiStepUpGuard(actor, request.headers.get(SECOND_FACTOR_HEADER));
          if (!guard.ok) return problemResponse(stepUpProblem(guard));
          actor = guard.actor;
        }
        const outcome = await runUseCase(
          { input: route.input, run: (_, i: I) => route.run(actor, i, conditions) },
          input,
          async () => actor,
        );
        // A stale If-Match is found under the change's row lock, inside the use case: a 412 like any refusal.
        if (!outcome.ok && outcome.kind === "stale" && route.ifMatch && outcome.input !== undefined)
          return problemResponse(await preconditionFailed(actor, route.ifMatch(outcome.input)));
        if (!outcome.ok) return problemResponse(outcomeProblem(outcome, fromQuery));
        return route.respond ? route.respond(outcome.value, request) : Response.json(outcome.value, { headers: NO_STORE });
      };
      // Every POST takes an Idempotency-Key (idempotency.ts): a retry gets the first answer instead of running again.
      return limited(request.method === "POST" ? await idempotent(request, auth.actor.id, raw.value, answer) : await answer());
    } catch (error) {
      // Authentication and reading the request run outside runUseCase's guard.
      if (isDatabaseBusy(error)) return problemResponse(BUSY);
      const ref = randomUUID().slice(0, 8);
      console.error(`[api ${ref}]`, error);
      return problemResponse({ status: 500, code: "internal_error", detail: `Something went wrong (ref ${ref}).` });
    }
  };
  return Object.assign(handler, { declared: route });
}

// The forms' "check the highlighted fields" has nothing highlighted here.
const INPUT_DETAIL = "Some parameters are not valid; `errors` says which and why.";

/** An approval refused for its second factor: missing or not enrolled, wrong or used, or too many wrong ones (the sign-in lock). */
function stepUpProblem(guard: Extract<ApiStepUpGuard<ApiActor>, { ok: false }>): Problem {
  if (guard.refusal === "locked")
    return {
      status: 429,
      code: "second_factor_locked",
      detail: guard.message,
      headers: { "Retry-After": String((guard.lockedMinutes ?? 1) * 60) },
    };
  return { status: 403, code: guard.refusal === "invalid" ? "second_factor_invalid" : "second_factor_required", detail: guard.message };
}

const BUSY: Problem = { status: 503, code: "database_busy", detail: DATABASE_BUSY, headers: { "Retry-After": "1" } };

function outcomeProblem(outcome: Extract<Outcome<unknown, unknown>, { ok: false }>, fromQuery: boolean): Problem {
  const { message: detail, fieldErrors } = outcome;
  switch (outcome.cause) {
    case "input":
      // A query that does not parse is a bad request; a well-formed body with wrong values is unprocessable.
      return { status: fromQuery ? 400 : 422, code: "invalid_input", detail: INPUT_DETAIL, fieldErrors };
    case "refused":
      if (outcome.kind === "not_found") return { status: 404, code: "not_found", detail };
      if (outcome.kind === "conflict") return { status: 409, code: "conflict", detail, fieldErrors };
      // Use cases validate their own input too: a refusal naming fields is bad input, in the use case's words.
      if (fieldErrors && Object.keys(fieldErrors).length) return { status: 422, code: "invalid_input", detail, fieldErrors };
      return { status: 403, code: "refused", detail };
    case "busy":
      return BUSY;
    case "failed":
      return { status: 500, code: "internal_error", detail };
  }
}

type Raw = { value: Record<string, unknown> } | { problem: Problem };

const badQuery = (fieldErrors: Record<string, string>): Raw => ({
  problem: { status: 400, code: "invalid_input", detail: INPUT_DETAIL, fieldErrors },
});

/** The query as one string per name: a repeated name or a control character is refused, not guessed at. */
function queryInput(search: URLSearchParams, repeatable: readonly string[] = []): Raw {
  const errors: Record<string, string> = {};
  for (const name of repeatedParams(search)) if (!repeatable.includes(name)) errors[name] = "Give this parameter once.";
  for (const [name, value] of search) if (/\p{Cc}/u.test(value)) errors[name] ??= "Remove the control characters.";
  if (Object.keys(errors).length) return badQuery(errors);
  const value: Record<string, unknown> = Object.fromEntries(search);
  for (const name of repeatable) if (search.has(name)) value[name] = search.getAll(name);
  return { value };
}

/** A JSON object body of at most MAX_BODY_BYTES (413 beyond; 415 for another media type; 400 if it does not parse). */
async function bodyInput(request: Request): Promise<Raw> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type))
    return { problem: { status: 415, code: "unsupported_media_type", detail: "Send the body as application/json." } };
  const tooLarge: Raw = {
    problem: { status: 413, code: "body_too_large", detail: `The body may hold at most ${MAX_BODY_BYTES} bytes.` },
  };
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) return tooLarge;
      chunks.push(chunk);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    return { problem: { status: 400, code: "body_not_json", detail: "The body is not valid JSON." } };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return { problem: { status: 400, code: "body_not_object", detail: "The body must be a JSON object." } };
  return { value: parsed as Record<string, unknown> };
}
