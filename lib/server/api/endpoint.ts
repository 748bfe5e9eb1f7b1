import "server-only";
import type { z } from "zod";
import type { ApiRoute } from "./api-route";

// One declaration per operation: the route file serves it (apiRoute) and the OpenAPI document
// describes it, both from the same zod schemas.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The document's groups of operations, each with the sentence the reference shows above it. */
export const API_TAGS = {
  Account: "The token and the account it acts as.",
  Changes: "Change requests, as the change pages show them: list, read, file and edit drafts.",
  "Change steps": "What moves a change on: lifecycle actions, votes, sign-offs, waivers, scheduling and comments, with the pages' rules.",
  "Configuration items": "The CMDB: configuration items and their dependencies, for admins as on the CI pages.",
  Templates: "Standard-change templates, as the template pages show them.",
  Schedule: "Freezes and what a change in a given window would run into.",
  Audit: "The hash-chained audit log, read with the audit:read scope.",
  Deployments:
    "For pipelines: the deployment gate (allow or deny, with every reason) and the deployments they report, each reconciled with the change that authorized it.",
} as const;
export type ApiTag = keyof typeof API_TAGS;

export type Endpoint<I, T> = ApiRoute<I, T> & {
  method: HttpMethod;
  /** The path under /api/v1 in OpenAPI's form, e.g. "/changes/{id}"; its folder under app/api/v1 matches. */
  path: string;
  summary: string;
  description?: string;
  tag: ApiTag;
  /** The success body's schema (what `run` answers, unless `respond` shapes it). */
  output: z.ZodType;
  /** The success status; 200 unless given. */
  successStatus?: number;
  /** The success body's media type; application/json unless given (a CSV or JSON Lines export, say). */
  mediaType?: string;
  /** A GET that answers with an ETag and takes If-None-Match (304); a write is conditional when it has `ifMatch`. */
  conditional?: boolean;
  /** Problem statuses it answers beyond those lib/server/api/openapi.ts gives every operation of its method and path. */
  problems?: readonly number[];
};

/** Declares an endpoint (typed; the value is the declaration itself). */
export function endpoint<I, T>(declaration: Endpoint<I, T>): Endpoint<I, T> {
  return declaration;
}
