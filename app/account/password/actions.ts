"use server";

import { redirect } from "next/navigation";
import { currentActor } from "@/lib/server/auth/current-actor";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { changeOwnPassword } from "@/lib/server/users/set-password";

export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const input = {
    currentPassword: String(form.get("currentPassword") ?? ""),
    newPassword: String(form.get("newPassword") ?? ""),
    confirmPassword: String(form.get("confirmPassword") ?? ""),
  };
  let changed = false;
  const state = await safely(async () => {
    const result = await changeOwnPassword(await currentActor(), input);
    changed = result.ok;
    return toFormState(result);
  });
  if (changed) redirect("/?password=changed");
  return state;
}
