import "server-only";
import { inTransaction } from "../db/transaction";
import { addDeliveryJobs, deliveryTask } from "../jobs/add-jobs";
import { STALE_CLAIM_MINUTES } from "./deliver-mail";

/**
 * Queues again every delivery a worker claimed and never finished (it died mid-send): the queue
 * itself frees a dead worker's job only after hours. The delivery may have left already; its
 * stable Message-ID lets the receiver drop the repeat (at least once, never lost).
 */
export async function rescueStaleDeliveries(): Promise<number> {
  return inTransaction(async (tx) => {
    const stale = await tx.$queryRaw<{ id: string; channel: string }[]>`
      SELECT id, channel::text AS channel FROM deliveries
       WHERE status = 'sending' AND claimed_at < now() - make_interval(mins => ${STALE_CLAIM_MINUTES})
       FOR UPDATE SKIP LOCKED`;
    for (const channel of new Set(stale.map((d) => d.channel)))
      await addDeliveryJobs(
        tx,
        deliveryTask(channel),
        stale.filter((d) => d.channel === channel).map((d) => d.id),
      );
    return stale.length;
  });
}
