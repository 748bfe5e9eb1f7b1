"use server";

import { formAction, list, text } from "@/lib/server/actions/form-action";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookSubscription,
} from "@/lib/server/webhooks/manage-subscriptions";

const PAGE = "/admin/webhooks";

const subscription = (form: FormData) => ({
  name: text(form, "name"),
  url: text(form, "url"),
  eventTypes: list(form, "eventTypes"),
  format: text(form, "format"),
  active: form.get("active") === "on",
});
const keep = (input: ReturnType<typeof subscription>) => ({ ...input, active: input.active ? "on" : "" });

export const createWebhookAction = formAction({
  input: subscription,
  keep,
  run: createWebhookSubscription,
  revalidate: [PAGE],
  // The signing secret travels back to this form once.
  reveal: (value) => value.secret,
});

export const updateWebhookAction = formAction({
  input: (form) => ({ ...subscription(form), subscriptionId: form.get("subscriptionId") }),
  keep: ({ subscriptionId, ...input }) => ({ ...keep(input), subscriptionId: String(subscriptionId ?? "") }),
  run: updateWebhookSubscription,
  revalidate: [PAGE],
});

export const rotateWebhookSecretAction = formAction({
  input: (form) => ({ subscriptionId: form.get("subscriptionId") }),
  run: rotateWebhookSecret,
  stepUp: true,
  revalidate: [PAGE],
  reveal: (value) => value.secret,
});

export const testWebhookAction = formAction({
  input: (form) => ({ subscriptionId: form.get("subscriptionId") }),
  run: sendTestWebhook,
  revalidate: [PAGE],
});

export const deleteWebhookAction = formAction({
  input: (form) => ({ subscriptionId: form.get("subscriptionId") }),
  run: deleteWebhookSubscription,
  revalidate: [PAGE],
});
