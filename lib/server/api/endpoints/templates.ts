import "server-only";
import { endpoint } from "../endpoint";
import { pageResponse } from "../api-pages";
import { getTemplateForApi, listTemplatesForApi } from "../read-templates";
import { templateDetailSchema, templateGetQuerySchema, templateListQuerySchema, templateListSchema } from "../template-schemas";

const READERS = "Admins and change managers, as the template pages.";

/** The standard-change template versions, newest first. */
export const listTemplates = endpoint({
  method: "GET",
  path: "/templates",
  tag: "Templates",
  summary: "List standard-change template versions",
  description: `Newest first, by title (\`q\`) and status; follow \`next\` for the next page. ${READERS}`,
  scope: "changes:read",
  input: templateListQuerySchema,
  output: templateListSchema,
  run: listTemplatesForApi,
  respond: pageResponse,
});

/** One template version. */
export const getTemplate = endpoint({
  method: "GET",
  path: "/templates/{id}",
  tag: "Templates",
  summary: "One template version",
  description: `With the configuration items it may touch and its family's other versions. ${READERS}`,
  scope: "changes:read",
  input: templateGetQuerySchema,
  output: templateDetailSchema,
  run: getTemplateForApi,
});
