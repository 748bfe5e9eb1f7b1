import "server-only";
import { cabDigestDue, cabDigestKey } from "@/lib/domain/cab-cut-off";
import { CHANGE_TYPE_LABELS, type ChangeType } from "@/lib/domain/change-types";
import { changeReference } from "@/lib/domain/change-visibility";
import { RISK_LEVEL_LABELS, type RiskLevel } from "@/lib/domain/risk-levels";
import { appendAuditEvent } from "../audit/append-audit-event";
import { inTransaction } from "../db/transaction";
import { enqueueMails } from "../deliveries/enqueue-mails";
import { loadReminderSettings } from "./reminder-settings";

type Awaiting = { id: string; number: number; title: string; type: ChangeType; risk_level: RiskLevel | null; votes_in: number };

/**
 * The worker's cron task: within the lead time before each CAB cut-off, CAB members and change
 * managers get one digest of the changes awaiting votes. Once per cut-off: its key is claimed in
 * the transaction that sends it. Returns the cut-off it sent for, or null.
 */
export async function sendCabDigest(now = new Date()): Promise<Date | null> {
  const settings = await loadReminderSettings();
  const cutOff = cabDigestDue(now, settings);
  if (!cutOff) return null;
  return inTransaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO reminder_steps (key, step, sent_at) VALUES (${cabDigestKey(cutOff)}, 'cab_digest', ${now}) ON CONFLICT (key) DO NOTHING RETURNING key`;
    if (claimed.length === 0) return null;
    const changes = await tx.$queryRaw<Awaiting[]>`
      SELECT c.id::text AS id, c.number, c.title, c.type::text AS type, c.risk_level::text AS risk_level,
             (SELECT count(*)::int FROM approval_rounds r JOIN votes v ON v.round_id = r.id WHERE r.change_id = c.id AND r.number = c.approval_round) AS votes_in
        FROM change_requests c WHERE c.state = 'authorization' ORDER BY c.planned_start ASC NULLS LAST, c.number ASC LIMIT 200`;
    const people = await tx.user.findMany({
      where: { active: true, kind: "user", roles: { some: { role: { in: ["cab_member", "change_manager"] } } } },
      select: { id: true },
    });
    const when = `${new Intl.DateTimeFormat("en-GB", { timeZone: settings.timeZone, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(cutOff)} (${settings.timeZone})`;
    if (changes.length && people.length) {
      const lines = changes.map(
        (c) =>
          `- ${changeReference(c.number)} "${c.title}": ${CHANGE_TYPE_LABELS[c.type]}, ${c.risk_level ? `${RISK_LEVEL_LABELS[c.risk_level]} risk` : "risk not assessed"}, ${c.votes_in} vote${c.votes_in === 1 ? "" : "s"} in`,
      );
      const message = [
        `${changes.length} change${changes.length === 1 ? "" : "s"} await${changes.length === 1 ? "s" : ""} votes before the CAB cut-off on ${when}:`,
        ...lines,
      ].join("\n");
      const created = await tx.notification.createManyAndReturn({
        data: people.map((p) => ({ userId: p.id, kind: "cab_digest", changeId: null, message, createdAt: now })),
        select: { id: true, userId: true, kind: true, changeId: true, message: true },
      });
      await enqueueMails(tx, created);
    }
    await appendAuditEvent(tx, {
      actor: null,
      action: "cab.digest_sent",
      entityType: "cab",
      entityId: cutOff.toISOString(),
      after: {
        cutOff: cutOff.toISOString(),
        changes: changes.map((c) => changeReference(c.number)),
        recipients: changes.length ? people.length : 0,
      },
    });
    return cutOff;
  });
}
