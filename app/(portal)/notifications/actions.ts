"use server";

import { formAction, text } from "@/lib/server/actions/form-action";
import { markNotificationsRead } from "@/lib/server/notifications/notification-inbox";

export const markReadAction = formAction({
  input: (form) => ({ id: text(form, "id"), all: form.get("all") === "1" }),
  run: markNotificationsRead,
  revalidate: [{ layout: "/" }],
});
