"use server";

import { revalidatePath } from "next/cache";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { castVote } from "@/lib/server/changes/cast-vote";

/** A vote from the queue: the same use case as on the change page. */
export async function queueVoteAction(_previous: FormState, form: FormData): Promise<FormState> {
  const comment = String(form.get("comment") ?? "");
  return safely(async () => {
    const result = await castVote(await currentActor(), { changeId: form.get("changeId"), role: form.get("role"), decision: form.get("decision"), comment });
    if (result.ok) revalidatePath("/cab");
    return toFormState(result, { comment });
  });
}
