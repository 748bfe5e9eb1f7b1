/** What a notification is about; stored as text so new kinds need no migration. */
export const NOTIFICATION_KINDS = [
  "vote_awaited",
  "sign_off_awaited",
  "change_approved",
  "change_rejected",
  "change_returned",
  "implementation_due",
  "review_overdue",
  "freeze_exception_awaited",
  "freeze_exception_granted",
  "review_awaited",
  "break_glass_sign_in",
  "deployment_unauthorized",
  "vote_reminder",
  "sign_off_reminder",
  "approval_escalated",
  "cab_digest",
  "role_grant_awaited",
  "role_grant_decided",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS = {
  vote_awaited: "Vote awaited",
  sign_off_awaited: "Sign-off awaited",
  change_approved: "Approved",
  change_rejected: "Rejected",
  change_returned: "Returned for rework",
  implementation_due: "Implementation due",
  review_overdue: "Review overdue",
  freeze_exception_awaited: "Freeze exception awaited",
  freeze_exception_granted: "Freeze exception granted",
  review_awaited: "Review awaited",
  break_glass_sign_in: "Break-glass sign-in",
  deployment_unauthorized: "Unauthorized deployment",
  vote_reminder: "Vote reminder",
  sign_off_reminder: "Sign-off reminder",
  approval_escalated: "Escalated: approval overdue",
  cab_digest: "CAB digest",
  role_grant_awaited: "Role grant awaits approval",
  role_grant_decided: "Role grant decided",
} as const satisfies Record<NotificationKind, string>;

export { REVIEW_DEADLINE_DAYS } from "./review-deadline";
/** How long before its planned start an implementer is told a change is due. */
export const IMPLEMENTATION_DUE_HOURS = 24;
