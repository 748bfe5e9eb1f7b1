import type { Role } from "../../lib/domain/roles";

// Listed in the README and shown on the sign-in page while demo data is loaded.
export const DEMO_PASSWORD = "demo-password-2026";

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; roles: Role[] }> = [
  { email: "requester@demo.local", name: "Riley Requester", roles: ["requester"] },
  { email: "manager@demo.local", name: "Morgan Manager", roles: ["change_manager"] },
  { email: "cab@demo.local", name: "Casey Cab", roles: ["cab_member"] },
  { email: "security@demo.local", name: "Sam Security", roles: ["security_reviewer"] },
  { email: "implementer@demo.local", name: "Ines Implementer", roles: ["implementer"] },
  { email: "auditor@demo.local", name: "Avery Auditor", roles: ["auditor"] },
  { email: "admin@demo.local", name: "Ada Admin", roles: ["admin"] },
  // A second admin: privileged roles need two (lib/domain/role-grants.ts).
  { email: "admin2@demo.local", name: "Blair Admin", roles: ["admin"] },
  { email: "lead@demo.local", name: "Lee Lead", roles: ["requester", "cab_member", "implementer"] },
];
