import { can, type Capability } from "./capabilities";
import type { Role } from "./roles";

export type NavItem = {
  href: string;
  label: string;
  section: "Changes" | "Review" | "Audit" | "Admin";
  /** null: every signed-in user. */
  capability: Capability | null;
  /** What the page holds, in one line; shown until the page is built. */
  purpose: string;
};

// The one list of pages: the navigation, the home page and the page guards all read it.
export const NAV_ITEMS: readonly NavItem[] = [
  {
    href: "/changes/new",
    label: "New change",
    section: "Changes",
    capability: "change.request",
    purpose: "File a change request: standard from a template, normal, emergency or major.",
  },
  {
    href: "/changes/mine",
    label: "My changes",
    section: "Changes",
    capability: "change.request",
    purpose: "The changes you requested, with their state and what they wait for.",
  },
  {
    href: "/changes",
    label: "All changes",
    section: "Changes",
    capability: "change.viewAll",
    purpose: "Every change request, filtered by type, state, risk and configuration item.",
  },
  {
    href: "/calendar",
    label: "Change calendar",
    section: "Changes",
    capability: null,
    purpose: "Scheduled and running changes by week and month, with freeze windows shaded.",
  },
  {
    href: "/cab",
    label: "CAB queue",
    section: "Review",
    capability: "cab.vote",
    purpose: "Changes awaiting your vote, sortable by risk and planned start.",
  },
  {
    href: "/security",
    label: "Security review",
    section: "Review",
    capability: "security.review",
    purpose: "Checklist items awaiting a security reviewer's sign-off or waiver.",
  },
  {
    href: "/work",
    label: "My work",
    section: "Review",
    capability: "change.implement",
    purpose: "Scheduled changes assigned to you: start them and record the outcome.",
  },
  {
    href: "/admin/templates?status=proposed",
    label: "Templates",
    section: "Review",
    capability: "change.manage",
    purpose: "Standard-change templates awaiting approval: approve what someone else proposed.",
  },
  {
    href: "/account/delegation",
    label: "Delegation",
    section: "Review",
    capability: "delegation.use",
    purpose: "Out of office: name a delegate who votes for you, or see whose votes you hold.",
  },
  {
    href: "/metrics",
    label: "Metrics",
    section: "Review",
    capability: "change.viewAll",
    purpose: "Success rate, emergency rate, CAB cycle time, lead time and backlog as charts.",
  },
  {
    href: "/audit",
    label: "Audit history",
    section: "Audit",
    capability: "audit.read",
    purpose: "Search the change history and audit events; export CSV and JSON Lines with manifests.",
  },
  {
    href: "/audit/verify",
    label: "Verify audit log",
    section: "Audit",
    capability: "audit.read",
    purpose: "Recompute the hash chain, check signed checkpoints, take one on demand, download the public key.",
  },
  {
    href: "/audit/reports",
    label: "Exception reports",
    section: "Audit",
    capability: "audit.read",
    purpose: "Overdue reviews, out-of-window changes, waivers, access review, failed sign-in bursts.",
  },
  {
    href: "/admin/users",
    label: "Users",
    section: "Admin",
    capability: "users.manage",
    purpose: "Create users, assign roles, deactivate and reactivate accounts.",
  },
  {
    href: "/admin/sso",
    label: "Single sign-on",
    section: "Admin",
    capability: "users.manage",
    purpose: "The identity provider, which groups give which roles, and the users who came from SSO.",
  },
  {
    href: "/admin/service-accounts",
    label: "Service accounts",
    section: "Admin",
    capability: "users.manage",
    purpose: "Accounts for pipelines and bots, with roles and API tokens; never approvers.",
  },
  {
    href: "/admin/cis",
    label: "Configuration items",
    section: "Admin",
    capability: "config.manage",
    purpose: "Configuration items, their criticality, exposure and dependencies.",
  },
  {
    href: "/admin/templates",
    label: "Templates",
    section: "Admin",
    capability: "config.manage",
    purpose: "Standard-change templates: propose, approve, version and retire.",
  },
  {
    href: "/admin/freezes",
    label: "Freeze windows",
    section: "Admin",
    capability: "config.manage",
    purpose: "Freeze (blackout) windows and maintenance windows.",
  },
  {
    href: "/admin/scan-policy",
    label: "Scan policy",
    section: "Admin",
    capability: "config.manage",
    purpose: "Which vulnerability scan findings a release artifact may carry, by environment and CI criticality.",
  },
  {
    href: "/admin/deliveries",
    label: "Deliveries",
    section: "Admin",
    capability: "users.manage",
    purpose: "Outgoing mail: what was sent, what is retrying, what died; retry a message.",
  },
  {
    href: "/admin/mailbox",
    label: "Dev mailbox",
    section: "Admin",
    capability: "users.manage",
    purpose: "With no SMTP server configured, the mails the portal would have sent, to read here.",
  },
  {
    href: "/admin/delegations",
    label: "Delegations",
    section: "Admin",
    capability: "users.manage",
    purpose: "Every delegation, current, upcoming and past; end one.",
  },
  {
    href: "/admin/reminders",
    label: "Reminders",
    section: "Admin",
    capability: "config.manage",
    purpose: "Business hours and time zone, reminder and escalation times, the CAB cut-off and its digest.",
  },
  {
    href: "/admin/webhooks",
    label: "Webhooks",
    section: "Admin",
    capability: "users.manage",
    purpose: "Signed webhooks to other systems, the audit stream and its checkpoints: subscribe, test, rotate secrets, see deliveries.",
  },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return NAV_ITEMS.filter((item) => item.capability === null || can(roles, item.capability));
}

export function navItem(href: string): NavItem {
  const item = NAV_ITEMS.find((i) => i.href === href);
  if (!item) throw new Error(`No navigation entry for ${href}`);
  return item;
}
