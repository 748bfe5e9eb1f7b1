"use server";

import { formAction, text } from "@/lib/server/actions/form-action";
import { changeDraftFields, changeFormValues } from "@/lib/server/changes/change-form-values";
import { createChangeDraft, updateChangeDraft } from "@/lib/server/changes/save-change-draft";

export const createChangeAction = formAction({
  input: changeFormValues,
  keep: (values) => values,
  run: (actor, values) => createChangeDraft(actor, changeDraftFields(values)),
  revalidate: [{ layout: "/changes" }],
  redirectTo: ({ id }) => `/changes/${id}?created=1`,
});

export const updateChangeAction = formAction({
  input: (form) => ({ values: changeFormValues(form), changeId: text(form, "changeId"), version: form.get("version") }),
  keep: ({ values }) => values,
  run: (actor, { values, changeId, version }) => updateChangeDraft(actor, { ...changeDraftFields(values), changeId, version }),
  revalidate: (_, { changeId }) => [`/changes/${changeId}`],
  redirectTo: (_, { changeId }) => `/changes/${changeId}?saved=1`,
});
