// The demo's reminders and delegation: a security reviewer away with a delegate, and a vote awaited
// long enough to have been reminded (not yet escalated), made by the same code the worker runs.
import { dueSteps } from "../../lib/domain/reminders-due";
import type { Actor } from "../../lib/server/auth/current-actor";
import { createDelegation } from "../../lib/server/delegations/create-delegation";
import { db } from "../../lib/server/db/db";
import { loadReminderSettings } from "../../lib/server/reminders/reminder-settings";
import { sweepReminders } from "../../lib/server/reminders/sweep-reminders";

export async function seedDemoReminders(cast: { security: Actor; manager: Actor }, awaitingVotes: string): Promise<void> {
  const now = new Date();
  const minute = (d: Date) => d.toISOString().slice(0, 16);
  const result = await createDelegation(cast.security, {
    delegateId: cast.manager.id,
    startsAt: minute(new Date(now.getTime() - 86_400_000)),
    endsAt: minute(new Date(now.getTime() + 6 * 86_400_000)),
    reason: "At a conference this week.",
  });
  if (!result.ok) throw new Error(`Demo seed: the delegation was refused: ${result.message}`);
  // Back-date the vote request to the first hour that makes a reminder due but not yet an escalation.
  const settings = await loadReminderSettings();
  let since = now;
  for (let hours = 1; hours <= 24 * 14; hours++) {
    const candidate = new Date(now.getTime() - hours * 3_600_000);
    const steps = dueSteps({ subject: "vote", changeId: awaitingVotes, emergency: false, since: candidate }, settings, now);
    if (steps.includes("escalation")) break;
    since = candidate;
    if (steps.length === 1) break;
  }
  await db().$executeRaw`UPDATE approval_rounds r SET votes_requested_at = ${since} FROM change_requests c
    WHERE c.id = ${awaitingVotes}::uuid AND r.change_id = c.id AND r.number = c.approval_round`;
  await sweepReminders(now, [awaitingVotes]);
}
