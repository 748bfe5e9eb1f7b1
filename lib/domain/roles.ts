/** The roles of the domain (domain.md, People and roles). A user may hold several. */
export const ROLES = ["requester", "change_manager", "cab_member", "security_reviewer", "implementer", "auditor", "admin"] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS = {
  requester: "Requester",
  change_manager: "Change manager",
  cab_member: "CAB member",
  security_reviewer: "Security reviewer",
  implementer: "Implementer",
  auditor: "Auditor",
  admin: "Admin",
} as const satisfies Record<Role, string>;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
