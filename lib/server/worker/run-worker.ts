import "server-only";
import { run, runOnce, type Runner, type TaskList } from "graphile-worker";
import { z } from "zod";
import { deliverMail } from "../deliveries/deliver-mail";
import { pruneMailbox } from "../deliveries/list-deliveries";
import { pruneSignInFailureMinutes } from "../auth/prune-sign-in-failures";
import { pruneUserSessions } from "../auth/user-session-rows";
import { rescueStaleDeliveries } from "../deliveries/rescue-deliveries";
import { env } from "../env";
import { deliverWebhook } from "../webhooks/deliver-webhook";
import { TASKS } from "../jobs/add-jobs";
import { JOB_QUEUE_SCHEMA } from "../jobs/migrate-job-queue";
import { queueLogger } from "../jobs/queue-logger";
import { REMINDER_CRONTAB, REMINDER_TASKS } from "../reminders/reminder-tasks";

const deliveryPayload = z.object({ deliveryId: z.uuid() });

/** Every task the queue runs, by name. */
export const TASK_LIST: TaskList = {
  [TASKS.deliverMail]: async (payload) => {
    await deliverMail(deliveryPayload.parse(payload).deliveryId);
  },
  [TASKS.deliverWebhook]: async (payload) => {
    await deliverWebhook(deliveryPayload.parse(payload).deliveryId);
  },
  [TASKS.rescueDeliveries]: async () => {
    const rescued = await rescueStaleDeliveries();
    if (rescued) console.warn(`[worker] Queued again ${rescued} deliveries a worker left unfinished.`);
  },
  [TASKS.pruneCounters]: async () => {
    await pruneSignInFailureMinutes();
    await pruneUserSessions();
    await pruneMailbox();
  },
  ...REMINDER_TASKS,
};

export type WorkerOptions = { connectionString?: string; concurrency?: number; pollInterval?: number; handleSignals?: boolean };

function options(o: WorkerOptions) {
  return {
    connectionString: o.connectionString ?? env().DATABASE_URL,
    concurrency: o.concurrency ?? env().WORKER_CONCURRENCY,
    // LISTEN/NOTIFY wakes the worker at once; polling only catches delayed retries coming due.
    pollInterval: o.pollInterval ?? 2_000,
    noHandleSignals: !o.handleSignals,
    schema: JOB_QUEUE_SCHEMA,
    logger: queueLogger(),
    taskList: TASK_LIST,
  };
}

/**
 * A worker that runs until stopped (`runner.stop()`), taking jobs as they come; every few minutes
 * it rescues deliveries a dead worker left, and each night it prunes counters and dev-mailbox mails
 * nothing reads any more.
 */
export function startWorker(o: WorkerOptions = {}): Promise<Runner> {
  return run({
    ...options(o),
    crontab: [`*/5 * * * * ${TASKS.rescueDeliveries}`, `17 3 * * * ${TASKS.pruneCounters}`, ...REMINDER_CRONTAB].join("\n"),
  });
}

/** Runs every job due now, then returns (the demo seed, the e2e setup). */
export async function runDueJobs(o: WorkerOptions = {}): Promise<void> {
  // runOnce takes one job at a time: it has no concurrency setting.
  const { concurrency, ...rest } = options(o);
  void concurrency;
  await runOnce(rest);
}
