"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { approveTemplate } from "@/lib/server/templates/approve-template";
import { newTemplateVersion } from "@/lib/server/templates/new-template-version";
import { proposeTemplate } from "@/lib/server/templates/propose-template";
import { retireTemplate } from "@/lib/server/templates/retire-template";

// Thin adapters: read the form, call the use case (which checks the session's user, role and
// segregation of duties itself), revalidate, return the result to the form.

const FIELDS = ["title", "description", "implementationPlan", "backoutPlan", "testPlan", "riskCeiling"] as const;

function read(form: FormData) {
  return { ...Object.fromEntries(FIELDS.map((n) => [n, String(form.get(n) ?? "")])), ciIds: form.getAll("ciIds").map(String) };
}

export async function proposeTemplateAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form);
  let createdId: string | undefined;
  const state = await safely(async () => {
    const result = await proposeTemplate(await currentActor(), values);
    if (result.ok) createdId = result.value.id;
    return toFormState(result, values);
  });
  if (!createdId) return state;
  revalidatePath("/admin/templates");
  redirect(`/admin/templates/${createdId}?proposed=1`);
}

export async function newTemplateVersionAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { ...read(form), baseId: String(form.get("baseId") ?? "") };
  let createdId: string | undefined;
  const state = await safely(async () => {
    const result = await newTemplateVersion(await currentActor(), values);
    if (result.ok) createdId = result.value.id;
    return toFormState(result, values);
  });
  if (!createdId) return state;
  revalidatePath("/admin/templates", "layout");
  redirect(`/admin/templates/${createdId}?proposed=1`);
}

export async function approveTemplateAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await approveTemplate(await currentActor(), { templateId: form.get("templateId") });
    if (result.ok) revalidatePath("/admin/templates", "layout");
    return toFormState(result);
  });
}

export async function retireTemplateAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await retireTemplate(await currentActor(), { templateId: form.get("templateId") });
    if (result.ok) revalidatePath("/admin/templates", "layout");
    return toFormState(result);
  });
}
