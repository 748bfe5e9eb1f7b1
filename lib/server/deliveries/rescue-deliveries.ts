import "server-only";
import { inTransaction } from "../db/transaction";
import { addDeliveryJobs, TASKS } from "../jobs/add-jobs";
import { STALE_CLAIM_MINUTES } from "./deliver-mail";

/**
 * Queues again every delivery a worker claimed and never finished (it died mid-send): the queue
 * itself frees a dead worker's job only after hours. The delivery may have left already; its
 * stable Message-ID lets the receiver drop the repeat (at least once, never lost).
 */
export async function rescueStaleDeliveries(): Promise<number> {
  return inTransaction(async (tx) => {
    const stale = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM deliveries
       WHERE status = 'sending' AND claimed_at < now() - make_interval(mins => ${STALE_CLAIM_MINUTES})
       FOR UPDATE SKIP LOCKED`;
    await addDeliveryJobs(
      tx,
      TASKS.deliverMail,
      stale.map((d) => d.id),
    );
    return stale.length;
  });
}
