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
