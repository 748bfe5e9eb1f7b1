import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { API_SCOPE_LABELS, API_SCOPES } from "@/lib/domain/api-scopes";
import { SECOND_FACTOR_HEADER } from "@/lib/domain/step-up";
import { MAX_BODY_BYTES } from "./api-route";
import { API_TAGS, type Endpoint } from "./endpoint";
import { ENDPOINTS } from "./endpoints";
import { problemSchema } from "./problem";

// The OpenAPI 3.1 document of /api/v1, built from ENDPOINTS and the zod schemas the handlers
// validate with (never written by hand beside them): inputs as zod reads them, outputs as the
// handlers write them, and the problems the shared route wrapper (api-route.ts) answers.

type Json = Record<string, unknown>;
type JsonSchema = Json;
/** What the document reads of an endpoint (not how it runs). */
type Declared = Omit<Endpoint<unknown, unknown>, "run" | "respond" | "ifMatch"> & { ifMatch?: unknown };

/** Whether it answers an ETag and takes a precondition: a GET's If-None-Match, or a write's If-Match. */
const conditional = (endpoint: Declared): boolean => Boolean(endpoint.conditional || endpoint.ifMatch);

export const API_TITLE = "Change-control portal API";
/** The document's own version: bumped when the contract changes within /api/v1. */
export const API_DOCUMENT_VERSION = "1.1.0";
export const API_SERVER = "/api/v1";

const BEARER = "bearerToken";
const PROBLEM_REF = "#/components/schemas/Problem";

/** What each problem status means, as the route wrapper and the Bearer gate answer it. */
const PROBLEM_RESPONSES: Record<number, { name: string; description: string; headers?: Json }> = {
  400: { name: "BadRequest", description: "The query does not parse, or the body is not a JSON object (`errors` names the fields)." },
  401: {
    name: "Unauthorized",
    description: "No token, or one that is malformed, unknown, revoked, expired or of a deactivated account.",
    headers: {
      "WWW-Authenticate": {
        description: 'Bearer realm="change-control", with error="invalid_token" for a token that was refused',
        schema: { type: "string" },
      },
    },
  },
  403: {
    name: "Forbidden",
    description:
      "The token lacks the operation's scope (`insufficient_scope`), or its owner's roles or the change's state refuse it (`refused`), or an approval lacks its second factor (`second_factor_required`, `second_factor_invalid`).",
    headers: { "WWW-Authenticate": { description: 'With error="insufficient_scope" and the scope it lacks', schema: { type: "string" } } },
  },
  404: { name: "NotFound", description: "No such resource, or one the token's owner may not see (they read the same)." },
  409: { name: "Conflict", description: "The resource's state refuses it now, or an Idempotency-Key was reused with another body." },
  412: { name: "PreconditionFailed", description: "If-Match names a version that is no longer current: read it again." },
  413: { name: "ContentTooLarge", description: `The body is longer than ${MAX_BODY_BYTES} bytes.` },
  415: { name: "UnsupportedMediaType", description: "The body is not sent as application/json." },
  422: { name: "UnprocessableContent", description: "The values do not pass the rules; `errors` says which field and why." },
  429: {
    name: "TooManyRequests",
    description:
      "The token's rate limit is spent (`rate_limited`), or, on an approval, too many wrong second-factor codes locked the account's codes for a while (`second_factor_locked`).",
    headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } },
  },
  503: {
    name: "ServiceUnavailable",
    description: "The database is busy: retry after the given seconds.",
    headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } },
  },
};

/** The problem statuses an operation can answer: what the Bearer gate and api-route.ts answer for its method and path. */
export function problemStatuses(endpoint: Declared): number[] {
  const write = endpoint.method !== "GET";
  const statuses = new Set([400, 401, 403, 422, 429, 503]);
  if (pathParams(endpoint.path).length) statuses.add(404);
  if (write) for (const s of [409, 413, 415]) statuses.add(s);
  if (write && conditional(endpoint)) statuses.add(412);
  for (const s of endpoint.problems ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** "GET /changes/{id}" -> "getChangesById": stable and unique, as method and path are. */
export function operationId(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((part) => part.replace(/^\{(\w+)\}$/, "by-$1"))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/**
 * A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). What JSON Schema cannot say (a
 * refinement, a transform's code) is left out: the schema says what is sent or answered, the
 * handler still checks the rest. Local $defs are moved into components so every $ref resolves
 * from the document's root.
 */
function jsonSchema(schema: z.ZodType, io: "input" | "output", name: string, components: Record<string, JsonSchema>): JsonSchema {
  const { $defs, ...rest } = withoutDialect(z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }));
  let text = JSON.stringify(rest);
  for (const [key, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const hoisted = `${name}_${key}`.replace(/[^A-Za-z0-9._-]/g, "_");
    components[hoisted] = def;
    text = text.split(`"#/$defs/${key}"`).join(`"#/components/schemas/${hoisted}"`);
  }
  // A $def's own refs to its siblings.
  for (const [key, def] of Object.entries(components))
    if (key.startsWith(`${name}_`))
      components[key] = JSON.parse(JSON.stringify(def).replace(/"#\/\$defs\/([^"]+)"/g, `"#/components/schemas/${name}_$1"`));
  return JSON.parse(text) as JsonSchema;
}

/** A schema inside the document takes the document's dialect (OpenAPI 3.1's is 2020-12). */
function withoutDialect(schema: object): Json {
  const copy: Json = { ...schema };
  delete copy.$schema;
  return copy;
}

function operation(endpoint: Declared, components: Record<string, JsonSchema>): Json {
  const id = operationId(endpoint.method, endpoint.path);
  const input = jsonSchema(endpoint.input, "input", `${id}Input`, components);
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((input.required ?? []) as string[]);
  const inPath = pathParams(endpoint.path);
  const parameters: Json[] = inPath.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: properties[name] ?? { type: "string" },
  }));
  const rest = Object.fromEntries(Object.entries(properties).filter(([name]) => !inPath.includes(name)));
  let requestBody: Json | undefined;
  if (endpoint.method === "GET") {
    for (const [name, schema] of Object.entries(rest)) {
      const { description, ...plain } = schema;
      parameters.push({ name, in: "query", required: required.has(name), ...(description ? { description } : {}), schema: plain });
    }
  } else {
    // An object's path parameters are not in the body; any other input (a union, say) is the body as it is.
    const body: JsonSchema = input.properties
      ? { ...input, properties: rest, required: [...required].filter((name) => !inPath.includes(name)) }
      : input;
    if (Array.isArray(body.required) && !body.required.length) delete body.required;
    requestBody = { required: true, content: { "application/json": { schema: body } } };
  }
  if (conditional(endpoint)) {
    const [name, description] =
      endpoint.method === "GET"
        ? ["If-None-Match", "The ETag you hold: 304 with no body while it is current."]
        : ["If-Match", "The ETag of the version you read: 412 if it is no longer current."];
    parameters.push({ name, in: "header", required: false, description, schema: { type: "string" } });
  }
  if (endpoint.returnMinimal)
    parameters.push({
      name: "Prefer",
      in: "header",
      required: false,
      description: "`return=minimal` (RFC 7240): answer 204 with the new ETag alone instead of the change.",
      schema: { type: "string" },
    });
  if (endpoint.stepUp)
    parameters.push({
      name: SECOND_FACTOR_HEADER,
      in: "header",
      required: false,
      description:
        "The current code of the token owner's authenticator app (or an unused recovery code), used once. Needed when the owner has an authenticator app, or holds an approving role while the approver second-factor policy is `required`; without it such a call is a 403 `second_factor_required`.",
      schema: { type: "string", maxLength: 40 },
    });
  if (endpoint.method === "POST")
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "A retry with the same key and body answers the first response; the same key with another body is 409. Kept 24 hours.",
      schema: { type: "string", maxLength: 255 },
    });

  const status = String(endpoint.successStatus ?? 200);
  const etagHeader = conditional(endpoint)
    ? { headers: { ETag: { description: "The version answered", schema: { type: "string" } } } }
    : {};
  const responses: Json = {
    [status]: {
      description: endpoint.summary,
      ...etagHeader,
      content: { [endpoint.mediaType ?? "application/json"]: { schema: jsonSchema(endpoint.output, "output", `${id}Output`, components) } },
    },
  };
  if (conditional(endpoint) && endpoint.method === "GET")
    responses["304"] = { description: "Not modified: the ETag sent is current.", ...etagHeader };
  if (endpoint.returnMinimal)
    responses["204"] = {
      description: "Done, as asked with `Prefer: return=minimal`: no body; ETag is the change's new version for the next If-Match.",
      headers: {
        ETag: { description: "The version after the write", schema: { type: "string" } },
        "Preference-Applied": { description: "return=minimal", schema: { type: "string", const: "return=minimal" } },
      },
    };
  for (const s of problemStatuses(endpoint)) {
    const problem = PROBLEM_RESPONSES[s];
    if (!problem) throw new Error(`${endpoint.method} ${endpoint.path}: no description of a ${s} problem in openapi.ts.`);
    responses[String(s)] = { $ref: `#/components/responses/${problem.name}` };
  }

  const scope = endpoint.scope;
  return {
    operationId: id,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: [endpoint.description, scope ? `Scope: \`${scope}\`.` : "Any valid token."].filter(Boolean).join("\n\n"),
    security: [{ [BEARER]: scope ? [scope] : [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for `endpoints` (every /api/v1 operation unless given). */
export function buildOpenApiDocument(endpoints: readonly Declared[] = ENDPOINTS): Json {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, Json> = {};
  for (const endpoint of endpoints) {
    const item = (paths[endpoint.path] ??= {});
    item[endpoint.method.toLowerCase()] = operation(endpoint, schemas);
  }
  const used = new Set(endpoints.flatMap((e) => problemStatuses(e)));
  const responses = Object.fromEntries(
    [...used]
      .sort((a, b) => a - b)
      .map((s) => {
        const { name, description, headers } = PROBLEM_RESPONSES[s]!;
        return [
          name,
          { description, ...(headers ? { headers } : {}), content: { "application/problem+json": { schema: { $ref: PROBLEM_REF } } } },
        ];
      }),
  );
  const tags = [...new Set(endpoints.map((e) => e.tag))].map((name) => ({
    name,
    ...{ description: API_TAGS[name] },
  }));
  const problem = withoutDialect(z.toJSONSchema(problemSchema, { target: "draft-2020-12", io: "output" }));
  return {
    openapi: "3.1.1",
    info: {
      title: API_TITLE,
      version: API_DOCUMENT_VERSION,
      description: [
        "The change-control portal's REST API: the same use cases and rules as the pages.",
        "Authenticate with `Authorization: Bearer ccp_…`, a personal access token (Account › API tokens) or a service account's. Each operation names the scope its token must carry.",
        "Errors are RFC 9457 problem+json with a stable `code`.",
      ].join("\n\n"),
    },
    servers: [{ url: API_SERVER }],
    security: [{ [BEARER]: [] }],
    tags,
    paths,
    components: {
      schemas: { Problem: problem, ...schemas },
      responses,
      securitySchemes: {
        [BEARER]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "ccp_<public id>_<secret>",
          description: `An API token. Its scopes: ${API_SCOPES.map((s) => `\`${s}\` (${API_SCOPE_LABELS[s].toLowerCase()})`).join(", ")}.`,
        },
      },
    },
  };
}

let built: { json: string; etag: string } | undefined;

/** The document as served: built once per process, since ENDPOINTS do not change while it runs. */
export function servedOpenApiDocument(): { json: string; etag: string } {
  if (!built) {
    const json = JSON.stringify(buildOpenApiDocument());
    built = { json, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 22)}"` };
  }
  return built;
}
