import { can } from "./capabilities";
import type { Role } from "./roles";

/** Who may open a change: its requester and implementer, and the roles that oversee, approve or carry out changes. */
export function canViewChange(
  actor: { id: string; roles: readonly Role[] },
  change: { requesterId: string; implementerId: string | null },
): boolean {
  if (actor.id === change.requesterId || actor.id === change.implementerId) return true;
  return (["change.viewAll", "cab.vote", "security.review", "change.implement"] as const).some((c) => can(actor.roles, c));
}

export function changeReference(number: number): string {
  return `CHG-${String(number).padStart(6, "0")}`;
}
