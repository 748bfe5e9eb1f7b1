import "server-only";
import { IMPLEMENTATION_DUE_HOURS, REVIEW_DEADLINE_DAYS } from "@/lib/domain/notification-kinds";
import type { Role } from "@/lib/domain/roles";
import { inTransaction, type Tx } from "../db/transaction";
import { enqueueMails, type NotificationToMail } from "../deliveries/enqueue-mails";

/**
 * Time-based notifications for one person, made when they load a page (no scheduler to run):
 * an implementation due within a day, for its implementer; a review past its deadline, for
 * change managers. Each is made once: its dedupe key is unique, a second sweep inserts nothing.
 * What one makes is mailed too, enqueued in the same transaction.
 */
export async function sweepNotifications(user: { id: string; roles: readonly Role[] }, now = new Date()): Promise<void> {
  if (!user.roles.includes("implementer") && !user.roles.includes("change_manager")) return;
  await inTransaction(async (tx) => {
    const made = await sweep(tx, user, now);
    if (made.length) await enqueueMails(tx, made);
  });
}

async function sweep(client: Tx, user: { id: string; roles: readonly Role[] }, now: Date): Promise<NotificationToMail[]> {
  const made: NotificationToMail[] = [];
  if (user.roles.includes("implementer")) {
    const rows = await client.$queryRaw<Row[]>`
      INSERT INTO notifications (user_id, kind, change_id, message, dedupe_key, created_at)
      SELECT c.implementer_id, 'implementation_due', c.id,
             'CHG-' || lpad(c.number::text, 6, '0') || ' "' || c.title || '" is due to start at ' || to_char(c.planned_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC.',
             'implementation_due:' || c.id || ':' || c.implementer_id || ':' || extract(epoch FROM c.planned_start)::bigint, ${now}
      FROM change_requests c
      WHERE c.state = 'scheduled' AND c.implementer_id = ${user.id}::uuid AND c.planned_start <= ${new Date(now.getTime() + IMPLEMENTATION_DUE_HOURS * 3_600_000)}
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, user_id AS "userId", kind, change_id AS "changeId", message`;
    made.push(...rows);
  }
  if (user.roles.includes("change_manager")) {
    const rows = await client.$queryRaw<Row[]>`
      INSERT INTO notifications (user_id, kind, change_id, message, dedupe_key, created_at)
      SELECT ${user.id}::uuid, 'review_overdue', c.id,
             'CHG-' || lpad(c.number::text, 6, '0') || ' "' || c.title || '" is past its review deadline (' || ${REVIEW_DEADLINE_DAYS}::int || ' days after implementation).',
             'review_overdue:' || c.id || ':' || ${user.id}, ${now}
      FROM change_requests c
      WHERE c.state = 'review' AND c.implemented_at < ${new Date(now.getTime() - REVIEW_DEADLINE_DAYS * 86_400_000)}
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id, user_id AS "userId", kind, change_id AS "changeId", message`;
    made.push(...rows);
  }
  return made;
}

type Row = NotificationToMail;
