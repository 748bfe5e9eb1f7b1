// How integration tests call an /api/v1 route handler: a real Request with a Bearer token and a
// JSON body, the path's parameters as Next passes them. Every API test goes through here, so one
// place can check each response the tests receive against the API's contract.

import { contractChecker, type ContractCheck } from "./api-contract";

export const API_BASE = "http://portal.test/api/v1";

type RouteHandler = ((request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  /** What apiRoute() attaches: the endpoint's declaration, whose path template names the route. */
  declared?: unknown;
};

export type ApiCall = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path under /api/v1 with its query, e.g. "/changes/abc?limit=2", or a full URL; by default the handler's own path with `params` filled in. */
  path?: string;
  token?: string;
  /** Sent as JSON unless it is already a string (sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The path's parameters, as the route's folder names them. */
  params?: Record<string, string>;
};

export async function callApi(handler: RouteHandler, call: ApiCall): Promise<Response> {
  const { method = "GET", token, body, headers = {}, params = {} } = call;
  const path = call.path ?? pathOf(handler, params);
  const url = /^https?:/.test(path) ? path : `${API_BASE}${path}`;
  const sent: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
    ...headers,
  };
  const request = new Request(url, {
    method,
    headers: sent,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  // Every response is checked against the OpenAPI document: a status, media type or body it does not describe fails the test.
  // The audit downloads (/api/audit, /api/exports) also take a token but are files, not operations of the document.
  // A route a test builds for itself (apiRoute without an endpoint's path) is not in the document either.
  if (new URL(url).pathname.startsWith("/api/v1/") && declaredPath(handler)) {
    checkContract ??= contractChecker();
    await checkContract(method, url, response);
  }
  return response;
}

let checkContract: ContractCheck | undefined;

/** The handler's declared path template with the parameters filled in. */
function pathOf(handler: RouteHandler, params: Record<string, string>): string {
  const template = declaredPath(handler);
  if (!template) throw new Error("Give callApi a path: this handler carries no declared endpoint path.");
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`callApi: the path ${template} needs the parameter ${name}.`);
    return encodeURIComponent(params[name]);
  });
}

const declaredPath = (handler: RouteHandler) => (handler.declared as { path?: string } | undefined)?.path;
