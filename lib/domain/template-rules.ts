import { z } from "zod";
import { can } from "./capabilities";
import type { Role } from "./roles";
import { serviceAccountRefusal, type AccountKind } from "./segregation-of-duties";

/**
 * Standard-change templates (domain.md, "Change types"): proposed, approved, versioned and
 * retired. Editing an approved template proposes version n+1, which needs approval again.
 */
export const TEMPLATE_STATUSES = ["proposed", "approved", "retired"] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const TEMPLATE_STATUS_LABELS = { proposed: "Awaiting approval", approved: "Approved", retired: "Retired" } as const satisfies Record<
  TemplateStatus,
  string
>;

/** A standard change is low-risk by definition; a template may allow at most medium. */
export const TEMPLATE_RISK_CEILINGS = ["low", "medium"] as const;
export type TemplateRiskCeiling = (typeof TEMPLATE_RISK_CEILINGS)[number];

export const MAX_TEMPLATE_CIS = 50;

const text = (what: string, max: number) => z.string().trim().min(1, `Enter the ${what}.`).max(max, `Use at most ${max} characters.`);

export const templateSchema = z.object({
  title: text("title", 160),
  description: text("description", 4000),
  implementationPlan: text("implementation plan", 8000),
  backoutPlan: text("backout plan", 8000),
  testPlan: text("test plan", 8000),
  riskCeiling: z.enum(TEMPLATE_RISK_CEILINGS, { message: "A standard change allows at most medium risk; choose low or medium." }),
  ciIds: z
    .array(z.uuid("Unknown configuration item."))
    .transform((ids) => [...new Set(ids)])
    .pipe(
      z
        .array(z.string())
        .min(1, "Choose at least one configuration item the template may touch.")
        .max(MAX_TEMPLATE_CIS, `A template may name at most ${MAX_TEMPLATE_CIS} configuration items.`),
    ),
});
export type TemplateInput = z.infer<typeof templateSchema>;

export const newVersionSchema = templateSchema.extend({ baseId: z.uuid("Unknown template.") });

export type Decision = { allowed: true } | { allowed: false; reason: string };
const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** The lifecycle: which status may follow which. */
export const TEMPLATE_TRANSITIONS = {
  proposed: ["approved", "retired"],
  approved: ["retired"],
  retired: [],
} as const satisfies Record<TemplateStatus, readonly TemplateStatus[]>;

export function canTransition(from: TemplateStatus, to: TemplateStatus): boolean {
  return (TEMPLATE_TRANSITIONS[from] as readonly TemplateStatus[]).includes(to);
}

/** Only an approved version can be used by a change. */
export function isUsable(status: TemplateStatus): boolean {
  return status === "approved";
}

/** Who may manage templates (propose, new version, retire): holders of config.manage. */
export function canManageTemplates(roles: readonly Role[]): boolean {
  return can(roles, "config.manage");
}

/** Who may approve at all: an admin (config.manage) or a change manager. */
export function isTemplateApprover(roles: readonly Role[]): boolean {
  return can(roles, "config.manage") || roles.includes("change_manager");
}

/** Approving: an admin or change manager who did not propose this version (segregation of duties). */
export function decideApproval(
  actor: { id: string; roles: readonly Role[]; kind?: AccountKind },
  template: { status: TemplateStatus; proposedById: string },
): Decision {
  const notPerson = serviceAccountRefusal(actor, "approve a template");
  if (notPerson) return deny(notPerson);
  if (!isTemplateApprover(actor.roles)) return deny("Only an admin or a change manager can approve templates.");
  if (template.proposedById === actor.id)
    return deny("You proposed this version, so someone else must approve it (segregation of duties).");
  if (!canTransition(template.status, "approved")) {
    return deny(
      template.status === "approved"
        ? "This version is already approved."
        : "A retired template cannot be approved. Propose a new version instead.",
    );
  }
  return allow;
}

export function decideRetire(template: { status: TemplateStatus }): Decision {
  return canTransition(template.status, "retired") ? allow : deny("This version is already retired.");
}

/**
 * A new version starts from the family's latest version, and only when no other version is
 * waiting for approval (so an approver never approves text that changed under them).
 */
export function decideNewVersion(base: { version: number }, latest: { version: number; status: TemplateStatus }): Decision {
  if (latest.status === "proposed")
    return deny(`Version ${latest.version} of this template is still awaiting approval. Approve or retire it before proposing another.`);
  if (base.version !== latest.version) return deny(`Version ${latest.version} is newer than this one. Start from the latest version.`);
  return allow;
}
