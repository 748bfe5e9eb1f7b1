import type { ChecklistEntry } from "./change-facts";

/** A waiver whose expiry has passed no longer stands in for its item: the item is open again. */
export function waiverLapsed(entry: Pick<ChecklistEntry, "status" | "waiverExpiresAt">, now: Date): boolean {
  return entry.status === "waived" && entry.waiverExpiresAt != null && entry.waiverExpiresAt.getTime() <= now.getTime();
}
