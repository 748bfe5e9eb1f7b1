import { z } from "zod";
import type { Role } from "./roles";

/**
 * The roles a service account may hold: those a pipeline or a bot acts in. The approving roles
 * would be empty for it (it never votes, signs off, waives or approves), and admin on a machine
 * would let one token manage people.
 */
export const SERVICE_ACCOUNT_ROLES = ["requester", "implementer", "auditor"] as const satisfies readonly Role[];

export function mayServiceAccountHold(role: Role): boolean {
  return (SERVICE_ACCOUNT_ROLES as readonly Role[]).includes(role);
}

export const SERVICE_ACCOUNT_ROLE_REFUSAL = "A service account may hold only the requester, implementer and auditor roles.";

export const newServiceAccountSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the service account after what it is, e.g. “Deploy pipeline”.")
    .max(100, "Use at most 100 characters.")
    .regex(/^[^\p{Cc}]*$/u, "Remove the control characters."),
  roles: z
    .array(z.enum(SERVICE_ACCOUNT_ROLES, { message: SERVICE_ACCOUNT_ROLE_REFUSAL }))
    .min(1, "Choose at least one role.")
    .transform((roles) => SERVICE_ACCOUNT_ROLES.filter((r) => roles.includes(r))),
});

/** The account's address in the audit log: unique, and in a domain that never receives mail (RFC 6761). */
export function serviceAccountEmail(name: string, suffix: string): string {
  const slug =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "service";
  return `${slug}.${suffix}@service-account.invalid`;
}
