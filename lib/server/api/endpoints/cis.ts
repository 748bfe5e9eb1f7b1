import "server-only";
import { endpoint } from "../endpoint";
import { pageResponse } from "../api-pages";
import {
  ciCreateBodySchema,
  ciDependenciesBodySchema,
  ciDetailSchema,
  ciGetQuerySchema,
  ciListQuerySchema,
  ciListSchema,
  ciUpdateBodySchema,
} from "../cmdb-schemas";
import { createCiForApi, getCiForApi, listCisForApi, setCiDependenciesForApi, updateCiForApi } from "../cmdb-use-cases";

const TAG = "Configuration items";
const ADMINS = "Admins only, as the configuration item pages.";

/** The configuration items, by name, with the CI list's search and a cursor. */
export const listCis = endpoint({
  method: "GET",
  path: "/cis",
  tag: TAG,
  summary: "List configuration items",
  description: `By name, searched by name, environment or a whole tag (\`q\`); follow \`next\` for the next page. ${ADMINS}`,
  scope: "cmdb:read",
  input: ciListQuerySchema,
  output: ciListSchema,
  run: listCisForApi,
  respond: pageResponse,
});

/** One configuration item with its dependencies both ways. */
export const getCi = endpoint({
  method: "GET",
  path: "/cis/{id}",
  tag: TAG,
  summary: "One configuration item",
  description: `With what it depends on, what depends on it directly, and its maintenance windows. ${ADMINS}`,
  scope: "cmdb:read",
  input: ciGetQuerySchema,
  output: ciDetailSchema,
  run: getCiForApi,
});

/** Adds a configuration item, with the configuration form's rules. */
export const createCi = endpoint({
  method: "POST",
  path: "/cis",
  tag: TAG,
  summary: "Add a configuration item",
  description: `Names are unique. Answers the new item as GET /cis/{id} does. ${ADMINS}`,
  scope: "cmdb:write",
  input: ciCreateBodySchema,
  output: ciDetailSchema,
  successStatus: 201,
  run: createCiForApi,
  respond: (ci) => Response.json(ci, { status: 201, headers: { "Cache-Control": "no-store", Location: `/api/v1/cis/${ci.id}` } }),
});

/** Changes some of a configuration item's fields. */
export const updateCi = endpoint({
  method: "PATCH",
  path: "/cis/{id}",
  tag: TAG,
  summary: "Edit a configuration item",
  description: `The fields given change; the others keep their values. With updatedAt, refused (409) if the item changed since. ${ADMINS}`,
  scope: "cmdb:write",
  input: ciUpdateBodySchema,
  output: ciDetailSchema,
  run: updateCiForApi,
});

/** Replaces the set of configuration items one depends on. */
export const setCiDependencies = endpoint({
  method: "PUT",
  path: "/cis/{id}/dependencies",
  tag: TAG,
  summary: "Replace what a configuration item depends on",
  description: `The whole set; a set that would make a dependency loop is refused and the loop named. ${ADMINS}`,
  scope: "cmdb:write",
  input: ciDependenciesBodySchema,
  output: ciDetailSchema,
  run: setCiDependenciesForApi,
});
