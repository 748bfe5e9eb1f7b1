"use server";

import { revalidatePath } from "next/cache";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { markNotificationsRead } from "@/lib/server/notifications/notification-inbox";

export async function markReadAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await markNotificationsRead(await currentActor(), { id: String(form.get("id") ?? ""), all: form.get("all") === "1" });
    if (result.ok) revalidatePath("/", "layout");
    return toFormState(result);
  });
}
