"use server";

import { revalidatePath } from "next/cache";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { currentActor } from "@/lib/server/auth/current-actor";
import { castVote } from "@/lib/server/changes/cast-vote";

/** A vote from the queue: the same use case as on the change page. */
export async function queueVoteAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = {
    role: String(form.get("role") ?? ""),
    decision: String(form.get("decision") ?? ""),
    comment: String(form.get("comment") ?? ""),
  };
  // What was chosen goes back with a refusal, so the form shows it (see components/ui/form-values.ts).
  return safely(async () => {
    const result = await castVote(await currentActor(), {
      changeId: form.get("changeId"),
      role: form.get("role"),
      decision: form.get("decision"),
      comment: values.comment,
    });
    if (result.ok) revalidatePath("/cab");
    return toFormState(result, values);
  });
}
