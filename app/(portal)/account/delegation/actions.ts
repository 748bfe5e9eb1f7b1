"use server";

import { formAction, text, texts } from "@/lib/server/actions/form-action";
import { createDelegation } from "@/lib/server/delegations/create-delegation";
import { endDelegation } from "@/lib/server/delegations/end-delegation";

const FIELDS = ["delegateId", "startsAt", "endsAt", "reason"] as const;

export const createDelegationAction = formAction({
  input: (form) => texts(form, FIELDS),
  keep: (input) => input,
  run: (actor, input) => createDelegation(actor, input),
  revalidate: ["/account/delegation", "/admin/delegations", "/cab"],
});

export const endDelegationAction = formAction({
  input: (form) => ({ id: text(form, "id") }),
  keep: (input) => input,
  run: (actor, input) => endDelegation(actor, input),
  revalidate: ["/account/delegation", "/admin/delegations", "/cab"],
});
