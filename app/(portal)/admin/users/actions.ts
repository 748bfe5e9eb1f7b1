"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/server/auth/current-actor";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { changeUserRole } from "@/lib/server/users/change-user-role";
import { createUser } from "@/lib/server/users/create-user";
import { setUserActive } from "@/lib/server/users/set-user-active";
import { resetPassword } from "@/lib/server/users/set-password";

// Thin adapters: read the form, call the use case (which checks the session's user and role
// itself), revalidate, return the result to the form.

export async function createUserAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    temporaryPassword: String(form.get("temporaryPassword") ?? ""),
    roles: form.getAll("roles").map(String),
  };
  let createdId: string | undefined;
  const state = await safely(async () => {
    const result = await createUser(await currentActor(), values);
    if (result.ok) createdId = result.value.id;
    return toFormState(result, values);
  });
  if (!createdId) return state;
  revalidatePath("/admin/users");
  redirect(`/admin/users/${createdId}?created=1`);
}

export async function changeRoleAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const input = { userId: form.get("userId"), role: form.get("role"), grant: form.get("grant") === "true" };
    const result = await changeUserRole(await currentActor(), input);
    if (result.ok) revalidatePath("/admin/users", "layout");
    return toFormState(result);
  });
}

export async function setActiveAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await setUserActive(await currentActor(), { userId: form.get("userId"), active: form.get("active") === "true" });
    if (result.ok) revalidatePath("/admin/users", "layout");
    return toFormState(result);
  });
}

export async function resetPasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { temporaryPassword: String(form.get("temporaryPassword") ?? "") };
  return safely(async () => toFormState(await resetPassword(await currentActor(), { userId: form.get("userId"), ...values }), values));
}
