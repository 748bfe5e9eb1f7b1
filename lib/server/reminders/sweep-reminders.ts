import "server-only";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { changeReference } from "@/lib/domain/change-visibility";
import { evaluateVotes } from "@/lib/domain/evaluate-votes";
import { dueSteps, reminderKey, waitedMs, type AwaitedItem, type ReminderStep } from "@/lib/domain/reminders-due";
import type { ReminderSettings } from "@/lib/domain/reminder-settings";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import { appendAuditEvent } from "../audit/append-audit-event";
import { lockChangeFacts, type LockedChange } from "../changes/load-change-facts";
import { delegatesOf } from "../delegations/active-delegations";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";
import { enqueueMails } from "../deliveries/enqueue-mails";
import { loadReminderSettings } from "./reminder-settings";

type AwaitedRow = { change_id: string; subject: AwaitedItem["subject"]; type: string; since: Date };

/**
 * Votes awaited on changes in authorization (since they entered it), sign-offs awaited before it
 * (since submission), and pre-implementation sign-offs awaited once the change may start: since
 * its approval, or, for an emergency (which starts from authorization), since submission.
 */
async function awaitedItems(): Promise<AwaitedItem[]> {
  const rows = await db().$queryRaw<AwaitedRow[]>`
    SELECT c.id::text AS change_id, 'vote' AS subject, c.type::text AS type, coalesce(r.votes_requested_at, r.opened_at) AS since
      FROM change_requests c JOIN approval_rounds r ON r.change_id = c.id AND r.number = c.approval_round
     WHERE c.state = 'authorization'
    UNION ALL
    SELECT c.id::text, 'sign_off', c.type::text, c.submitted_at
      FROM change_requests c
     WHERE c.state IN ('submitted', 'assessment') AND c.submitted_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM checklist_items i WHERE i.change_id = c.id AND i.status = 'pending' AND NOT i.pre_implementation)
    UNION ALL
    SELECT c.id::text, 'readiness', c.type::text, CASE WHEN c.state = 'scheduled' THEN c.authorized_at ELSE c.submitted_at END
      FROM change_requests c
     WHERE (c.state = 'scheduled' OR (c.state = 'authorization' AND c.type = 'emergency'))
       AND CASE WHEN c.state = 'scheduled' THEN c.authorized_at ELSE c.submitted_at END IS NOT NULL
       AND EXISTS (SELECT 1 FROM checklist_items i WHERE i.change_id = c.id AND i.status = 'pending' AND i.pre_implementation)`;
  return rows.map((r) => ({ subject: r.subject, changeId: r.change_id, emergency: r.type === "emergency", since: r.since }));
}

/**
 * The worker's cron task: every awaited vote or sign-off past its time is reminded, and past a
 * longer time escalated to the change managers. Each step is sent once (its key, claimed in the
 * transaction that sends it, so two workers at once send it once), with an audit event. It only
 * ever writes notifications, mails and that event: nothing here votes, approves or moves a change.
 * `only`: these changes alone (the demo seed's one reminded vote).
 */
export async function sweepReminders(now = new Date(), only?: readonly string[]): Promise<string[]> {
  const settings = await loadReminderSettings();
  const items = (await awaitedItems()).filter((item) => !only || only.includes(item.changeId));
  const due = items.flatMap((item) => dueSteps(item, settings, now).map((step) => ({ item, step, key: reminderKey(item, step) })));
  if (due.length === 0) return [];
  const done = new Set(
    (await db().reminderStep.findMany({ where: { key: { in: due.map((d) => d.key) } }, select: { key: true } })).map((r) => r.key),
  );
  const sent: string[] = [];
  for (const d of due) {
    if (done.has(d.key)) continue;
    if (await sendStep(d.item, d.step, d.key, settings, now)) sent.push(d.key);
  }
  return sent;
}

async function sendStep(item: AwaitedItem, step: ReminderStep, key: string, settings: ReminderSettings, now: Date): Promise<boolean> {
  return inTransaction(async (tx) => {
    // The change's row first (the lock order of every writer), so a vote racing the reminder is seen.
    const facts = await lockChangeFacts(tx, item.changeId);
    const stillAwaited = facts ? isStillAwaited(item, facts) : false;
    if (!facts || !stillAwaited) return false;
    const claimed = await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO reminder_steps (key, step, change_id, sent_at) VALUES (${key}, ${step}, ${item.changeId}::uuid, ${now})
      ON CONFLICT (key) DO NOTHING RETURNING key`;
    if (claimed.length === 0) return false;
    const { number } = await tx.changeRequest.findUniqueOrThrow({ where: { id: facts.id }, select: { number: true } });
    const ref = `${changeReference(number)} "${facts.title}"`;
    const waited = describeWait(item, settings, now);
    const { recipients, what } = step === "escalation" ? await escalationTo(tx, facts, item) : await reminderTo(tx, facts, item);
    const kind = step === "escalation" ? "approval_escalated" : item.subject === "vote" ? "vote_reminder" : "sign_off_reminder";
    const message =
      step === "escalation"
        ? `${ref} has waited ${waited} for ${what}. Escalated to the change managers: chase the approvers or find a delegate. Nothing is approved by timeout.`
        : `Reminder: ${ref} has waited ${waited} for ${what}.`;
    if (recipients.length) {
      const created = await tx.notification.createManyAndReturn({
        data: recipients.map((userId) => ({ userId, kind, changeId: facts.id, message, createdAt: now })),
        select: { id: true, userId: true, kind: true, changeId: true, message: true },
      });
      await enqueueMails(tx, created);
    }
    await appendAuditEvent(tx, {
      actor: null,
      action: step === "escalation" ? "change.approval_escalated" : "change.reminder_sent",
      entityType: "change",
      entityId: facts.id,
      changeId: facts.id,
      after: { awaiting: item.subject, step, since: item.since.toISOString(), waited, recipients },
    });
    return true;
  });
}

/** Whether the change is still where the item was awaited (a vote racing the sweep may have moved it on). */
function isStillAwaited(item: AwaitedItem, facts: LockedChange): boolean {
  if (item.subject === "vote") return facts.state === "authorization";
  if (item.subject === "sign_off") return facts.state === "submitted" || facts.state === "assessment";
  return facts.state === "scheduled" || (facts.state === "authorization" && facts.type === "emergency");
}

function describeWait(item: AwaitedItem, settings: ReminderSettings, now: Date): string {
  const minutes = Math.floor(waitedMs(item, settings, now) / 60_000);
  if (item.emergency) return minutes < 120 ? `${minutes} minutes` : `${Math.floor(minutes / 60)} hours`;
  return `${Math.floor(minutes / 60)} business hours`;
}

/** Active people (never service accounts) holding a role, other than the change's requester and implementer. */
async function independentHolders(tx: Tx, facts: LockedChange, roles: readonly Role[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const users = await tx.user.findMany({
    where: { active: true, kind: "user", roles: { some: { role: { in: [...roles] } } } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return users.map((u) => u.id).filter((id) => id !== facts.requesterId && id !== facts.implementerId);
}

async function reminderTo(tx: Tx, facts: LockedChange, item: AwaitedItem): Promise<{ recipients: string[]; what: string }> {
  if (item.subject !== "vote") {
    const preImplementation = item.subject === "readiness";
    const pending = await tx.checklistItem.findMany({
      where: { changeId: facts.id, status: "pending", preImplementation },
      select: { signerRole: true },
      distinct: ["signerRole"],
    });
    const roles = pending.map((p) => p.signerRole as Role);
    return {
      recipients: await independentHolders(tx, facts, roles),
      what: `${preImplementation ? "pre-implementation " : ""}checklist sign-offs (${roles.map((r) => ROLE_LABELS[r]).join(", ")})`,
    };
  }
  const missing = evaluateVotes(requiredApprovals(facts), facts.votes, facts).missing;
  const voted = new Set(facts.votes.flatMap((v) => (v.onBehalfOf ? [v.voterId, v.onBehalfOf] : [v.voterId])));
  const holders = (
    await independentHolders(
      tx,
      facts,
      missing.map((m) => m.role),
    )
  ).filter((id) => !voted.has(id));
  // Someone away is reminded through their delegate too, who may vote for them.
  const delegates = await delegatesOf(holders, new Date(), tx);
  const extra = delegates.map((d) => d.delegateId).filter((id) => id !== facts.requesterId && id !== facts.implementerId && !voted.has(id));
  return {
    recipients: [...new Set([...holders, ...extra])],
    what: `votes (${missing.map((m) => `${m.needed} ${ROLE_LABELS[m.role]}`).join(", ")})`,
  };
}

async function escalationTo(tx: Tx, facts: LockedChange, item: AwaitedItem): Promise<{ recipients: string[]; what: string }> {
  const what =
    item.subject === "vote"
      ? "its approval votes"
      : item.subject === "readiness"
        ? "its pre-implementation sign-offs"
        : "its checklist sign-offs";
  return { recipients: await independentHolders(tx, facts, ["change_manager"]), what };
}
