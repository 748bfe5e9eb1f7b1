"use server";

import { revalidatePath } from "next/cache";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { takeCheckpointOnDemand } from "@/lib/server/audit-verification/take-checkpoint-on-demand";

// The form's state and fields are unused: the checkpoint needs nothing but the session.
export async function takeCheckpointAction(): Promise<FormState> {
  return safely(async () => {
    const result = await takeCheckpointOnDemand(await currentActor());
    if (result.ok) revalidatePath("/audit/verify");
    return toFormState(result);
  });
}
