import { randomBytes } from "node:crypto";
import { z } from "zod";
import { isAuditStreamType, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from "./webhook-events";

/** A subscription as an admin writes it; the URL's address is checked on the server (lib/server/webhooks/post-webhook.ts). */
export const webhookSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1, "Give the subscription a name.").max(100, "At most 100 characters."),
    url: z.string().trim().min(1, "Enter the receiver's URL.").max(2000, "At most 2000 characters."),
    eventTypes: z
      .array(z.enum(WEBHOOK_EVENT_TYPES, { message: "Unknown event type." }))
      .min(1, "Choose at least one event.")
      .max(WEBHOOK_EVENT_TYPES.length * 2),
    format: z.enum(WEBHOOK_FORMATS, { message: "Choose a message format." }),
    active: z.boolean(),
  })
  .refine((s) => s.format === "standard" || !s.eventTypes.some(isAuditStreamType), {
    path: ["eventTypes"],
    message: "The audit stream and checkpoints are sent as they are: choose the Standard Webhooks format for them.",
  });

export type WebhookSubscriptionInput = z.infer<typeof webhookSubscriptionSchema>;

/** How long the previous secret still signs after a rotation, so receivers can switch without missing a message. */
export const SECRET_ROTATION_HOURS = 24;

/** A new signing secret in Standard Webhooks' form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
