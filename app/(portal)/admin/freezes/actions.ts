"use server";

import { formAction, text, texts } from "@/lib/server/actions/form-action";
import { addMaintenanceWindow, removeMaintenanceWindow } from "@/lib/server/schedule/maintenance-windows";
import { createFreeze, deleteFreeze, updateFreeze } from "@/lib/server/schedule/save-freeze";

// The use cases check the session's user and role themselves.
const FIELDS = ["startsAt", "endsAt", "reason", "scope", "environments", "tags"] as const;

export const createFreezeAction = formAction({
  input: (form) => texts(form, FIELDS),
  keep: (input) => input,
  run: createFreeze,
  revalidate: ["/admin/freezes", "/calendar"],
  redirectTo: () => "/admin/freezes?created=1",
});

export const updateFreezeAction = formAction({
  input: (form) => texts(form, [...FIELDS, "id", "updatedAt"]),
  keep: (input) => input,
  run: updateFreeze,
  revalidate: [{ layout: "/admin/freezes" }],
  redirectTo: () => "/admin/freezes?saved=1",
});

export const deleteFreezeAction = formAction({
  input: (form) => ({ id: text(form, "id") }),
  run: deleteFreeze,
  revalidate: [{ layout: "/admin/freezes" }],
  redirectTo: () => "/admin/freezes?deleted=1",
});

export const addMaintenanceWindowAction = formAction({
  input: (form) => texts(form, ["ciId", "weekday", "start", "hours"]),
  keep: (input) => input,
  run: addMaintenanceWindow,
  revalidate: (_, { ciId }) => [`/admin/cis/${ciId}`],
});

export const removeMaintenanceWindowAction = formAction({
  input: (form) => ({ id: text(form, "id"), ciId: text(form, "ciId") }),
  run: (actor, { id }) => removeMaintenanceWindow(actor, { id }),
  revalidate: (_, { ciId }) => [`/admin/cis/${ciId}`],
});
