"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { addMaintenanceWindow, removeMaintenanceWindow } from "@/lib/server/schedule/maintenance-windows";
import { createFreeze, deleteFreeze, updateFreeze } from "@/lib/server/schedule/save-freeze";

// Thin adapters: the use cases check the session's user and role themselves.
const FIELDS = ["startsAt", "endsAt", "reason", "scope", "environments", "tags"] as const;
const read = (form: FormData, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));

export async function createFreezeAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form, FIELDS);
  let created = false;
  const state = await safely(async () => {
    const result = await createFreeze(await currentActor(), values);
    created = result.ok;
    return toFormState(result, values);
  });
  if (!created) return state;
  revalidatePath("/admin/freezes");
  revalidatePath("/calendar");
  redirect("/admin/freezes?created=1");
}

export async function updateFreezeAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form, [...FIELDS, "id", "updatedAt"]);
  let saved = false;
  const state = await safely(async () => {
    const result = await updateFreeze(await currentActor(), values);
    saved = result.ok;
    return toFormState(result, values);
  });
  if (!saved) return state;
  revalidatePath("/admin/freezes", "layout");
  redirect("/admin/freezes?saved=1");
}

export async function deleteFreezeAction(_previous: FormState, form: FormData): Promise<FormState> {
  let deleted = false;
  const state = await safely(async () => {
    const result = await deleteFreeze(await currentActor(), { id: String(form.get("id") ?? "") });
    deleted = result.ok;
    return toFormState(result);
  });
  if (!deleted) return state;
  revalidatePath("/admin/freezes", "layout");
  redirect("/admin/freezes?deleted=1");
}

export async function addMaintenanceWindowAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = read(form, ["ciId", "weekday", "start", "hours"]);
  return safely(async () => {
    const result = await addMaintenanceWindow(await currentActor(), values);
    if (result.ok) revalidatePath(`/admin/cis/${values.ciId}`);
    return toFormState(result, values);
  });
}

export async function removeMaintenanceWindowAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await removeMaintenanceWindow(await currentActor(), { id: String(form.get("id") ?? "") });
    if (result.ok) revalidatePath(`/admin/cis/${String(form.get("ciId") ?? "")}`);
    return toFormState(result);
  });
}
