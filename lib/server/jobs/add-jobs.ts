import "server-only";
import type { Tx } from "../db/transaction";

/** The queue's task names. */
export const TASKS = {
  deliverMail: "deliver_mail",
  deliverWebhook: "deliver_webhook",
  rescueDeliveries: "rescue_deliveries",
  pruneCounters: "prune_counters",
} as const;
export type TaskName = (typeof TASKS)[keyof typeof TASKS];

/** The task that sends a delivery of this channel. */
export const deliveryTask = (channel: string): TaskName => (channel === "webhook" ? TASKS.deliverWebhook : TASKS.deliverMail);

/** Delivery failures are retried by the task itself (with jitter); these are for what it did not expect (the database gone). */
export const QUEUE_MAX_ATTEMPTS = 10;

/**
 * Enqueues one job per delivery in the caller's transaction, through graphile-worker's SQL
 * function: the job exists exactly when the caller's writes commit. The job key replaces a job
 * still waiting for the same delivery, so a retry never queues it twice.
 */
export async function addDeliveryJobs(tx: Tx, task: TaskName, deliveryIds: readonly string[], runAt?: Date): Promise<void> {
  if (deliveryIds.length === 0) return;
  await tx.$queryRaw`
    SELECT count(graphile_worker.add_job(
             ${task}::text,
             json_build_object('deliveryId', id),
             run_at => ${runAt ?? null}::timestamptz,
             max_attempts => ${QUEUE_MAX_ATTEMPTS}::int,
             job_key => 'delivery:' || id::text))::int AS added
      FROM unnest(${[...deliveryIds]}::uuid[]) AS id`;
}
