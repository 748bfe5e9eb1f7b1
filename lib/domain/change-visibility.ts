import { can } from "./capabilities";
import type { Role } from "./roles";

/** Who is reading: their id and roles, as the session loaded them. */
export type ChangeViewer = { id: string; roles: readonly Role[] };

/** The roles that oversee, approve or carry out changes see every change; anyone else only those they request or implement. */
export function seesEveryChange(roles: readonly Role[]): boolean {
  return (["change.viewAll", "cab.vote", "security.review", "change.implement"] as const).some((c) => can(roles, c));
}

/** Who may open a change: its requester and implementer, and the roles that see every change. */
export function canViewChange(actor: ChangeViewer, change: { requesterId: string; implementerId: string | null }): boolean {
  return actor.id === change.requesterId || actor.id === change.implementerId || seesEveryChange(actor.roles);
}

export function changeReference(number: number): string {
  return `CHG-${String(number).padStart(6, "0")}`;
}
