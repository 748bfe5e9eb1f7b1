"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { recordDenial } from "@/lib/server/audit/record-denial";
import { currentActor } from "@/lib/server/auth/current-actor";
import { createCi } from "@/lib/server/cis/create-ci";
import { searchCis, type CiOption } from "@/lib/server/cis/search-cis";
import { setCiDependencies } from "@/lib/server/cis/set-ci-dependencies";
import { updateCi } from "@/lib/server/cis/update-ci";

// Thin adapters: read the form, call the use case (which checks the session's user and role
// itself), revalidate, return the result to the form.

const FIELDS = ["name", "type", "environment", "owner", "criticality", "exposure", "tags"] as const;
const read = (form: FormData, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));

export async function createCiAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form, FIELDS);
  let createdId: string | undefined;
  const state = await safely(async () => {
    const result = await createCi(await currentActor(), values);
    if (result.ok) createdId = result.value.id;
    return toFormState(result, values);
  });
  if (!createdId) return state;
  revalidatePath("/admin/cis");
  redirect(`/admin/cis/${createdId}?created=1`);
}

export async function updateCiAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form, [...FIELDS, "id", "updatedAt"]);
  return safely(async () => {
    const result = await updateCi(await currentActor(), values);
    if (result.ok) revalidatePath("/admin/cis", "layout");
    return toFormState(result, values);
  });
}

export async function setCiDependenciesAction(_previous: FormState, form: FormData): Promise<FormState> {
  const input = {
    id: String(form.get("id") ?? ""),
    updatedAt: String(form.get("updatedAt") ?? ""),
    dependsOnIds: form.getAll("dependsOnIds").map(String),
  };
  return safely(async () => {
    const result = await setCiDependencies(await currentActor(), input);
    if (result.ok) revalidatePath("/admin/cis", "layout");
    return toFormState(result, { dependsOnIds: input.dependsOnIds });
  });
}

/** The CI pickers' search: signed-in users who manage configuration or file changes; a refusal is recorded. */
// The CI picker searches as someone types: only a string is a query (a forged argument gets no choices).
const ciQuerySchema = z
  .string()
  .max(1_000)
  .transform((query) => query.slice(0, 100));

export async function searchCisAction(query: unknown): Promise<CiOption[]> {
  const parsed = ciQuerySchema.safeParse(query);
  const actor = await currentActor();
  if (!actor || !parsed.success) return [];
  if (!(can(actor.roles, "config.manage") || can(actor.roles, "change.request"))) {
    await recordDenial(actor, "cis.search", "Only admins and those who file changes can search configuration items.");
    return [];
  }
  return searchCis(parsed.data, 8);
}
