import "server-only";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

const LOG_SIZE = 20;

/** Every subscription with its newest deliveries (admins only); secrets never leave the server. */
export async function listWebhookSubscriptions(viewer: Actor) {
  await refuseReadUnlessCan(viewer, "users.manage");
  return db().webhookSubscription.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      url: true,
      eventTypes: true,
      format: true,
      active: true,
      previousSecretExpiresAt: true,
      createdAt: true,
      deliveries: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: LOG_SIZE,
        select: {
          id: true,
          messageKey: true,
          kind: true,
          status: true,
          attempts: true,
          maxAttempts: true,
          responseStatus: true,
          lastError: true,
          createdAt: true,
          sentAt: true,
          nextAttemptAt: true,
          deadAt: true,
        },
      },
    },
  });
}
