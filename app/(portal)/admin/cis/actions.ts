"use server";

import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { ok, refuse } from "@/lib/domain/result";
import { formAction, list, text, texts } from "@/lib/server/actions/form-action";
import { searchAction } from "@/lib/server/actions/search-action";
import { recordDenial } from "@/lib/server/audit/record-denial";
import { createCi } from "@/lib/server/cis/create-ci";
import { searchCis } from "@/lib/server/cis/search-cis";
import { setCiDependencies } from "@/lib/server/cis/set-ci-dependencies";
import { updateCi } from "@/lib/server/cis/update-ci";

// The use cases check the session's user and role themselves.

const FIELDS = ["name", "type", "environment", "owner", "criticality", "exposure", "tags"] as const;

export const createCiAction = formAction({
  input: (form) => texts(form, FIELDS),
  keep: (input) => input,
  run: createCi,
  revalidate: ["/admin/cis"],
  redirectTo: ({ id }) => `/admin/cis/${id}?created=1`,
});

export const updateCiAction = formAction({
  input: (form) => texts(form, [...FIELDS, "id", "updatedAt"]),
  keep: (input) => input,
  run: updateCi,
  revalidate: [{ layout: "/admin/cis" }],
});

export const setCiDependenciesAction = formAction({
  input: (form) => ({ id: text(form, "id"), updatedAt: text(form, "updatedAt"), dependsOnIds: list(form, "dependsOnIds") }),
  keep: ({ dependsOnIds }) => ({ dependsOnIds }),
  run: setCiDependencies,
  revalidate: [{ layout: "/admin/cis" }],
});

const SEARCH_REFUSAL = "Only admins and those who file changes can search configuration items.";

// The CI pickers search as someone types: only a string is a query (a forged argument gets no choices).
const ciQuerySchema = z
  .string()
  .max(1_000)
  .transform((query) => query.slice(0, 100));

/** The CI pickers' search: signed-in users who manage configuration or file changes; a refusal is recorded. */
export const searchCisAction = searchAction({
  input: ciQuerySchema,
  run: async (actor, query) => {
    if (!actor) return refuse(SEARCH_REFUSAL);
    if (!(can(actor.roles, "config.manage") || can(actor.roles, "change.request"))) {
      await recordDenial(actor, "cis.search", SEARCH_REFUSAL);
      return refuse(SEARCH_REFUSAL);
    }
    return ok(await searchCis(query, 8));
  },
});
