import "server-only";
import type { z } from "zod";
import type { ApiRoute } from "./api-route";

// One declaration per operation: the route file serves it (apiRoute) and the OpenAPI document
// describes it, both from the same zod schemas.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type Endpoint<I, T> = ApiRoute<I, T> & {
  method: HttpMethod;
  /** The path under /api/v1 in OpenAPI's form, e.g. "/changes/{id}"; its folder under app/api/v1 matches. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** The success body's schema (what `run` answers, unless `respond` shapes it). */
  output: z.ZodType;
  /** The success status; 200 unless given. */
  successStatus?: number;
  /** The success body's media type; application/json unless given (a CSV or JSON Lines export, say). */
  mediaType?: string;
  /** Answers with an ETag: a GET takes If-None-Match (304), a write If-Match (412 stale, 428 missing). */
  conditional?: boolean;
  /** Problem statuses it answers beyond those lib/server/api/openapi.ts gives every operation of its method and path. */
  problems?: readonly number[];
};

/** Declares an endpoint (typed; the value is the declaration itself). */
export function endpoint<I, T>(declaration: Endpoint<I, T>): Endpoint<I, T> {
  return declaration;
}
