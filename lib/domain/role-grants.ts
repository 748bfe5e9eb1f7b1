import { z } from "zod";
import { PRIVILEGED_ROLES } from "./exception-reports";
import { ROLE_LABELS, ROLES, type Role } from "./roles";

// Privileged roles are granted by two people (issue 34 item 5): one admin asks, a second decides.
// The roles are those of the access review: they approve changes or get around a control.

/** Roles that need a second admin's approval to be granted; removing one takes effect at once. */
export const TWO_PERSON_ROLES = Object.keys(PRIVILEGED_ROLES) as readonly Role[];

export function needsSecondAdmin(role: Role): boolean {
  return TWO_PERSON_ROLES.includes(role);
}

export type RoleGrantStatus = "pending" | "approved" | "refused" | "withdrawn" | "expired";

export const ROLE_GRANT_STATUS_LABELS = {
  pending: "Awaiting a second admin",
  approved: "Approved",
  refused: "Refused",
  withdrawn: "Withdrawn",
  expired: "Expired",
} as const satisfies Record<RoleGrantStatus, string>;

/** A pending request past its expiry is expired, whether or not the row says so yet. */
export function effectiveGrantStatus(request: { status: RoleGrantStatus; expiresAt: Date }, now: Date): RoleGrantStatus {
  return request.status === "pending" && request.expiresAt.getTime() <= now.getTime() ? "expired" : request.status;
}

export function grantRequestExpiry(requestedAt: Date, days: number): Date {
  return new Date(requestedAt.getTime() + days * 86_400_000);
}

/** Why a second admin may not decide this request, or null when they may. */
export function decisionRefusal(
  deciderId: string,
  request: { userId: string; requestedById: string },
  decision: "approve" | "refuse",
): string | null {
  if (request.userId === deciderId) return "You cannot decide a request for a role of your own. Another admin must.";
  if (request.requestedById === deciderId)
    return decision === "approve"
      ? "You asked for this role; a second admin must approve it. You can withdraw it instead."
      : "You asked for this role; withdraw it instead of refusing it.";
  return null;
}

export const SELF_GRANT_REFUSAL = "You cannot grant yourself a role. Ask another admin.";

export function twoPersonRefusal(role: Role): string {
  return `${ROLE_LABELS[role]} is granted by two admins: request it with a reason, and a second admin approves it.`;
}

const reason = z
  .string()
  .trim()
  .min(1, "Say why they need this role.")
  .max(1000, "Use at most 1000 characters.")
  .regex(/^[^\p{Cc}]*$/u, "Remove the control characters.");

export const roleGrantRequestSchema = z.object({
  userId: z.string().uuid("Unknown user."),
  role: z
    .enum(ROLES, { message: "Unknown role." })
    .refine(needsSecondAdmin, "Only a privileged role is requested; grant the others directly."),
  reason,
});

export const roleGrantDecisionSchema = z.object({
  requestId: z.string().uuid("Unknown request."),
  reason: z
    .string()
    .trim()
    .max(1000, "Use at most 1000 characters.")
    .regex(/^[^\p{Cc}]*$/u, "Remove the control characters.")
    .optional()
    .default(""),
});
