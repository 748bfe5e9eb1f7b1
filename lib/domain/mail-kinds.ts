import type { NotificationKind } from "./notification-kinds";

/** Mails that ask the reader to act: a user cannot turn these off, or the approval would stall unseen. */
export const ACTION_NEEDED_KINDS: readonly NotificationKind[] = [
  "vote_awaited",
  "sign_off_awaited",
  "freeze_exception_awaited",
  "review_awaited",
  // Other admins must see every break-glass sign-in; nobody may opt out of that.
  "break_glass_sign_in",
  "deployment_unauthorized",
  "vote_reminder",
  "sign_off_reminder",
  "approval_escalated",
  // A privileged role waits on a second admin; it lapses unseen otherwise.
  "role_grant_awaited",
];

export function isActionNeeded(kind: string): boolean {
  return (ACTION_NEEDED_KINDS as readonly string[]).includes(kind);
}

/** The kinds a user chose not to receive, less any action-needed kind (those are always sent). */
export function effectiveOptOuts(kinds: readonly string[]): string[] {
  return [...new Set(kinds)].filter((kind) => !isActionNeeded(kind));
}

/** What each mail is, in the reader's words: the subject line after the change's reference, and the account page's label. */
export const MAIL_SUBJECTS = {
  vote_awaited: "Your vote is awaited",
  sign_off_awaited: "Checklist items await your sign-off",
  change_approved: "Approved and scheduled",
  change_rejected: "Rejected",
  change_returned: "Returned for rework",
  implementation_due: "Implementation due",
  review_overdue: "Post-implementation review overdue",
  freeze_exception_awaited: "A freeze exception awaits your approval",
  freeze_exception_granted: "Freeze exception granted",
  review_awaited: "Implemented: your post-implementation review is awaited",
  break_glass_sign_in: "An admin signed in with a break-glass password",
  deployment_unauthorized: "A deployment no authorized change covers",
  vote_reminder: "Reminder: your vote is still awaited",
  sign_off_reminder: "Reminder: checklist items still await your sign-off",
  approval_escalated: "Escalation: an approval is overdue",
  cab_digest: "CAB digest: changes awaiting votes before the cut-off",
  role_grant_awaited: "A privileged role awaits a second admin's approval",
  role_grant_decided: "Your role grant request was decided",
} as const satisfies Record<NotificationKind, string>;
