import "server-only";
import { z } from "zod";

/** An RFC 9457 problem: `code` is stable for clients to branch on, `detail` is for people. */
export type Problem = {
  status: number;
  code: string;
  detail: string;
  fieldErrors?: Record<string, string>;
  headers?: Record<string, string>;
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function problemResponse({ status, code, detail, fieldErrors, headers }: Problem): Response {
  const body = {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    code,
    detail,
    ...(fieldErrors ? { errors: fieldErrors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
  });
}

/** The body problemResponse writes, as the OpenAPI document's shared Problem schema. */
export const problemSchema = z
  .object({
    type: z.string().describe("Always about:blank: `code` tells the problems apart"),
    title: z.string().describe("The HTTP status's reason phrase"),
    status: z.number().int(),
    code: z.string().describe("Stable, for clients to branch on (token_missing, insufficient_scope, invalid_input, not_found, …)"),
    detail: z.string().describe("For people: what went wrong and what to do"),
    errors: z.record(z.string(), z.string()).optional().describe("Field errors: the field's name, and what is wrong with it"),
  })
  .meta({ title: "Problem", description: "An RFC 9457 problem (application/problem+json)." });
