import type { ChangeState } from "./change-states";
import type { ChecklistEntry } from "./change-facts";

/** A waiver whose expiry has passed no longer stands in for its item: the item is open again. */
export function waiverLapsed(entry: Pick<ChecklistEntry, "status" | "waiverExpiresAt">, now: Date): boolean {
  return entry.status === "waived" && entry.waiverExpiresAt != null && entry.waiverExpiresAt.getTime() <= now.getTime();
}

/** How a checklist item stands at `now`, as the panel and the API show it; "lapsed" counts as pending everywhere. */
export type ChecklistStanding = ChecklistEntry["status"] | "lapsed";

export function checklistStanding(entry: Pick<ChecklistEntry, "status" | "waiverExpiresAt">, now: Date): ChecklistStanding {
  return waiverLapsed(entry, now) ? "lapsed" : entry.status;
}

/**
 * When a change stopped relying on its checklist: its outcome recorded, or its end without one
 * (a rejected or cancelled change is written no more, so its last write is its end); null while under way.
 */
export function checklistReliedUntil(change: {
  state: ChangeState;
  implementedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}): Date | null {
  if (change.implementedAt) return change.implementedAt;
  if (change.closedAt) return change.closedAt;
  return change.state === "rejected" || change.state === "cancelled" ? change.updatedAt : null;
}

/** An item as the change's record shows it: how it stood while the change relied on it, and when its waiver lapsed, if it has. */
export type EvidenceStanding = { standing: ChecklistStanding; lapsedOn: Date | null };

/**
 * The evidence view's rule: a waiver that lapsed only after the change was done stood when it
 * counted, so it shows as waived with the day it lapsed; one that lapsed before is lapsed, as now.
 */
export function evidenceStanding(
  entry: Pick<ChecklistEntry, "status" | "waiverExpiresAt">,
  reliedUntil: Date | null,
  now: Date,
): EvidenceStanding {
  const lapsedOn = waiverLapsed(entry, now) ? entry.waiverExpiresAt! : null;
  const standing = checklistStanding(entry, reliedUntil && reliedUntil.getTime() < now.getTime() ? reliedUntil : now);
  return { standing, lapsedOn };
}
