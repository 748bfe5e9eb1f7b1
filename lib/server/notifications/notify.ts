import "server-only";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import type { ChangeAction } from "@/lib/domain/change-actions";
import type { ChangeFacts } from "@/lib/domain/change-facts";
import type { ChangeState } from "@/lib/domain/change-states";
import { changeReference } from "@/lib/domain/change-visibility";
import type { NotificationKind } from "@/lib/domain/notification-kinds";
import type { Role } from "@/lib/domain/roles";
import type { Tx } from "../db/transaction";
import { delegatesOf } from "../delegations/active-delegations";
import { enqueueMails } from "../deliveries/enqueue-mails";

// Notifications are written inside the transaction of the step that causes them: if the step
// rolls back, nobody is told about something that did not happen. Each also goes out as a mail,
// enqueued in the same transaction.

async function send(tx: Tx, facts: ChangeFacts, kind: NotificationKind, userIds: readonly string[], text: (ref: string) => string) {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  const { number } = await tx.changeRequest.findUniqueOrThrow({ where: { id: facts.id }, select: { number: true } });
  const message = text(`${changeReference(number)} "${facts.title}"`);
  const created = await tx.notification.createManyAndReturn({
    data: ids.map((userId) => ({ userId, kind, changeId: facts.id, message })),
    select: { id: true, userId: true, kind: true, changeId: true, message: true },
  });
  await enqueueMails(tx, created);
}

/** Active holders of any of the roles, leaving out the change's requester and implementer (they may not approve it). */
async function independentHolders(tx: Tx, facts: ChangeFacts, roles: readonly Role[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const users = await tx.user.findMany({ where: { active: true, roles: { some: { role: { in: [...roles] } } } }, select: { id: true } });
  return users.map((u) => u.id).filter((id) => id !== facts.requesterId && id !== facts.implementerId);
}

/** Who must act after a transition, and the requester when their change is decided. */
export async function notifyTransition(tx: Tx, action: ChangeAction, facts: ChangeFacts, to: ChangeState): Promise<void> {
  if (to === "authorization") {
    const roles = requiredApprovals(facts).rules.map((r) => r.role);
    const holders = await independentHolders(tx, facts, roles);
    await send(tx, facts, "vote_awaited", holders, (ref) => `${ref} awaits your vote.`);
    // Someone away is asked through their delegate too, who may vote for them (if the change's rules let them).
    for (const d of await delegatesOf(holders, new Date(), tx)) {
      if (d.delegateId === facts.requesterId || d.delegateId === facts.implementerId) continue;
      await send(
        tx,
        facts,
        "vote_awaited",
        [d.delegateId],
        (ref) => `${ref} awaits the vote of ${d.delegatorName}, whose delegate you are.`,
      );
    }
  }
  if (action === "start_assessment" || (action === "submit" && to !== "submitted")) {
    const pending = await tx.checklistItem.findMany({
      where: { changeId: facts.id, status: "pending" },
      select: { signerRole: true },
      distinct: ["signerRole"],
    });
    await send(
      tx,
      facts,
      "sign_off_awaited",
      await independentHolders(
        tx,
        facts,
        pending.map((p) => p.signerRole),
      ),
      (ref) => `${ref} has checklist items awaiting your sign-off.`,
    );
  }
  if (to === "review")
    await send(
      tx,
      facts,
      "review_awaited",
      await independentHolders(tx, facts, ["change_manager"]),
      (ref) => `${ref} was implemented and awaits its post-implementation review.`,
    );
  if (action === "schedule") await send(tx, facts, "change_approved", [facts.requesterId], (ref) => `${ref} was approved and scheduled.`);
  if (action === "reject")
    await send(tx, facts, "change_rejected", [facts.requesterId], (ref) => `${ref} was rejected. The reason is on the change.`);
  if (action === "return_for_rework")
    await send(
      tx,
      facts,
      "change_returned",
      [facts.requesterId],
      (ref) => `${ref} was returned for rework. See what needs changing on the change.`,
    );
}

export async function notifyFreezeException(tx: Tx, facts: ChangeFacts, what: "requested" | "granted"): Promise<void> {
  if (what === "requested") {
    const approvers = await independentHolders(tx, facts, ["change_manager", "security_reviewer"]);
    await send(
      tx,
      facts,
      "freeze_exception_awaited",
      approvers,
      (ref) => `${ref} asks for a freeze exception; it needs a change manager's and a security reviewer's approval.`,
    );
  } else {
    await send(tx, facts, "freeze_exception_granted", [facts.requesterId], (ref) => `The freeze exception for ${ref} is granted.`);
  }
}
