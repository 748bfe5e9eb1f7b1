"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { changeDraftFields, changeFormValues } from "@/lib/server/changes/change-form-values";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";

export async function createChangeAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = changeFormValues(form);
  let createdId: string | undefined;
  const state = await safely(async () => {
    const result = await createChangeDraft(await currentActor(), changeDraftFields(values));
    if (result.ok) createdId = result.value.id;
    return toFormState(result, values);
  });
  if (!createdId) return state;
  revalidatePath("/changes", "layout");
  redirect(`/changes/${createdId}?created=1`);
}

export async function updateChangeAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = changeFormValues(form);
  const changeId = String(form.get("changeId") ?? "");
  let saved = false;
  const state = await safely(async () => {
    const result = await updateChangeDraft(await currentActor(), { ...changeDraftFields(values), changeId, version: form.get("version") });
    saved = result.ok;
    return toFormState(result, values);
  });
  if (!saved) return state;
  revalidatePath(`/changes/${changeId}`);
  redirect(`/changes/${changeId}?saved=1`);
}
