import type { Role } from "./roles";

/** What a role may do. Roles grant capabilities; they never bypass the rules of the lifecycle. */
export const CAPABILITIES = [
  "change.request",
  "change.viewAll",
  "change.manage",
  "cab.vote",
  "security.review",
  "change.implement",
  "audit.read",
  "users.manage",
  "config.manage",
  // Naming a delegate for one's votes (CAB members, security reviewers), or holding one's delegation (change managers too).
  "delegation.use",
] as const;

export type Capability = (typeof CAPABILITIES)[number];

const ROLE_CAPABILITIES = {
  requester: ["change.request"],
  change_manager: ["change.request", "change.viewAll", "change.manage", "delegation.use"],
  cab_member: ["cab.vote", "delegation.use"],
  security_reviewer: ["security.review", "delegation.use"],
  implementer: ["change.implement"],
  auditor: ["change.viewAll", "audit.read"],
  // An admin is not an approver by virtue of being admin (domain.md).
  // Admins also read and export the audit history (the "auditor, admin"), without the change queues.
  admin: ["users.manage", "config.manage", "audit.read"],
} as const satisfies Record<Role, readonly Capability[]>;

export function capabilitiesOf(roles: readonly Role[]): Set<Capability> {
  return new Set(roles.flatMap((role) => ROLE_CAPABILITIES[role]));
}

export function can(roles: readonly Role[], capability: Capability): boolean {
  return roles.some((role) => (ROLE_CAPABILITIES[role] as readonly Capability[]).includes(capability));
}
