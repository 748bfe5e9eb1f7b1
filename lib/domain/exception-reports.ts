import { changeReference } from "./change-visibility";
import type { CsvValue } from "./csv";
import { ROLE_LABELS, type Role } from "./roles";
import { REVIEW_DEADLINE_DAYS } from "./review-deadline";
import { cleanText, dayAfter, firstValues, parseDay, type Params } from "./search-params";
import { UNAUTHORIZED_DEPLOYMENTS } from "./unauthorized-deployments";

// The auditors' exception reports: what each one finds, its columns (page and CSV alike), and the
// thresholds it applies. The queries that find the rows live in lib/server/reports.

/** A burst: at least this many failed sign-ins for one account or address within one window. */
export const SIGN_IN_BURST_MIN_FAILURES = 3;
export const SIGN_IN_BURST_WINDOW_MINUTES = 15;
/** How far back the sign-in report looks. */
export const SIGN_IN_BURST_LOOKBACK_DAYS = 90;

/** Roles that can approve a change or get around a control, and why each is on the access review. */
export const PRIVILEGED_ROLES = {
  change_manager: "approves low-risk changes, schedules, grants freeze exceptions",
  cab_member: "votes to authorize changes",
  security_reviewer: "signs off and waives security items; vetoes",
  admin: "grants roles (including these) and edits templates, checklists and freeze windows",
} as const satisfies Partial<Record<Role, string>>;

export type ChangeRef = { changeId: string; number: number; title: string };

export type OverdueEmergencyRow = ChangeRef & { state: string; implementedAt: Date; deadline: Date; reviewedAt: Date | null };
export type OutOfWindowRow = ChangeRef & {
  type: string;
  plannedStart: Date;
  plannedEnd: Date;
  startedAt: Date;
  implementedAt: Date | null;
  breach: string;
};
export type ClosedWithoutReviewRow = ChangeRef & { type: string; closedAt: Date | null };
export type WaiverRow = ChangeRef & {
  item: string;
  waivedBy: string | null;
  waivedAt: Date | null;
  compensatingControl: string | null;
  residualRisk: string | null;
  changeState: string;
};
export type AccessReviewRow = {
  userId: string;
  name: string;
  email: string;
  active: boolean;
  roles: Role[];
  grantedAt: Date;
  /** How each privileged role was granted: by a two-person request, or directly (before those, or by the seed or SSO). */
  grants: RoleGrantOrigin[];
  lastSignIn: Date | null;
};
export type RoleGrantOrigin = {
  role: Role;
  grantedAt: string;
  grantedBy: string | null;
  requestedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
};

/** One role's origin in words, for the access review's page and CSV. */
export function describeGrant(g: RoleGrantOrigin): string {
  const at = (iso: string) => iso.slice(0, 16).replace("T", " ");
  if (g.approvedBy)
    return `${ROLE_LABELS[g.role]}: requested by ${g.requestedBy ?? "a removed user"}, approved by ${g.approvedBy} on ${at(g.approvedAt ?? g.grantedAt)}`;
  return `${ROLE_LABELS[g.role]}: granted directly${g.grantedBy ? ` by ${g.grantedBy}` : ""} on ${at(g.grantedAt)}`;
}
export type SignInBurstRow = {
  account: string | null;
  address: string | null;
  windowStart: Date;
  failures: number;
  firstAt: Date;
  lastAt: Date;
  lockedNow: boolean;
};

export type ReportColumn<Row> = { header: string; value: (row: Row) => CsvValue };

/**
 * A filter on one of a report's columns: a value it must equal (from the given options, or from the
 * values the data holds), or a UTC day range on a timestamp column.
 */
export type ReportFilter = {
  key: string;
  label: string;
  column: string;
  kind: "choice" | "from" | "to";
  any?: string;
  options?: { value: string; label: string }[];
};

export type ReportDefinition<Row> = {
  slug: string;
  title: string;
  /** What the report finds, in a sentence an auditor can quote. */
  finds: string;
  /** What an empty report means. */
  whenEmpty: string;
  columns: ReportColumn<Row>[];
  /** The change a row links to, when it is about one. */
  changeId?: (row: Row) => string | null;
  filters?: ReportFilter[];
};

/** A filter as the query applies it: the column, and the value it must equal or the bound it must respect. */
export type AppliedFilter = { column: string; op: "=" | ">=" | "<"; value: string | Date };

/**
 * The filters a report's query string asks for, each checked: a choice among fixed options must be
 * one of them, free values are cleaned and capped, days must be real; anything else is dropped.
 */
export function parseReportFilters(
  report: ReportDefinition<unknown>,
  params: Params,
): { values: Record<string, string>; applied: AppliedFilter[] } {
  const flat = firstValues(params);
  const values: Record<string, string> = {};
  const applied: AppliedFilter[] = [];
  for (const f of report.filters ?? []) {
    const raw = flat[f.key];
    if (typeof raw !== "string" || raw === "") continue;
    if (f.kind === "choice") {
      const value = cleanText(raw);
      if (!value || (f.options && !f.options.some((o) => o.value === value))) continue;
      values[f.key] = value;
      applied.push({ column: f.column, op: "=", value });
    } else {
      const day = parseDay(raw);
      if (!day) continue;
      values[f.key] = raw;
      applied.push(f.kind === "from" ? { column: f.column, op: ">=", value: day } : { column: f.column, op: "<", value: dayAfter(day) });
    }
  }
  return { values, applied };
}

const ref: ReportColumn<ChangeRef>[] = [
  { header: "change", value: (r) => changeReference(r.number) },
  { header: "title", value: (r) => r.title },
];
const overdueDays = (r: OverdueEmergencyRow) => Math.floor(((r.reviewedAt ?? new Date()).getTime() - r.deadline.getTime()) / 86_400_000);

export const OVERDUE_EMERGENCIES: ReportDefinition<OverdueEmergencyRow> = {
  slug: "overdue-emergency-reviews",
  title: "Emergency changes past their review deadline",
  finds: `Emergency changes implemented more than ${REVIEW_DEADLINE_DAYS} days ago whose retrospective review is still missing, or was recorded after the deadline.`,
  whenEmpty: "Every implemented emergency change was reviewed within its deadline, or is still inside it.",
  columns: [
    ...(ref as ReportColumn<OverdueEmergencyRow>[]),
    { header: "state", value: (r) => r.state },
    { header: "implemented_at", value: (r) => r.implementedAt },
    { header: "review_deadline", value: (r) => r.deadline },
    { header: "reviewed_at", value: (r) => r.reviewedAt ?? "not reviewed" },
    { header: "days_overdue", value: (r) => overdueDays(r) },
  ],
  changeId: (r) => r.changeId,
};

export const OUT_OF_WINDOW: ReportDefinition<OutOfWindowRow> = {
  slug: "outside-approved-window",
  title: "Changes implemented outside their approved window",
  finds:
    "Changes whose implementation started before the planned start, or started or finished after the planned end, of the window they were authorized for.",
  whenEmpty: "Every implementation started and finished inside its approved window.",
  columns: [
    ...(ref as ReportColumn<OutOfWindowRow>[]),
    { header: "type", value: (r) => r.type },
    { header: "planned_start", value: (r) => r.plannedStart },
    { header: "planned_end", value: (r) => r.plannedEnd },
    { header: "implementation_started_at", value: (r) => r.startedAt },
    { header: "implemented_at", value: (r) => r.implementedAt },
    { header: "breach", value: (r) => r.breach },
  ],
  changeId: (r) => r.changeId,
};

export const CLOSED_WITHOUT_REVIEW: ReportDefinition<ClosedWithoutReviewRow> = {
  slug: "closed-without-review",
  title: "Changes closed without a post-implementation review",
  finds:
    "Closed changes that have no post-implementation review on record. The lifecycle refuses to close a change without one, so this report should be empty; it is the proof.",
  whenEmpty: "None: no closed change lacks a post-implementation review.",
  columns: [
    ...(ref as ReportColumn<ClosedWithoutReviewRow>[]),
    { header: "type", value: (r) => r.type },
    { header: "closed_at", value: (r) => r.closedAt },
  ],
  changeId: (r) => r.changeId,
};

export const WAIVERS: ReportDefinition<WaiverRow> = {
  slug: "waivers",
  title: "Waivers and their residual risks",
  finds:
    "Every security checklist item that was waived instead of signed off, with who waived it, the compensating control and the residual risk accepted.",
  whenEmpty: "No checklist item has been waived.",
  columns: [
    ...(ref as ReportColumn<WaiverRow>[]),
    { header: "change_state", value: (r) => r.changeState },
    { header: "item", value: (r) => r.item },
    { header: "waived_by", value: (r) => r.waivedBy },
    { header: "waived_at", value: (r) => r.waivedAt },
    { header: "compensating_control", value: (r) => r.compensatingControl },
    { header: "residual_risk", value: (r) => r.residualRisk },
  ],
  changeId: (r) => r.changeId,
};

export const ACCESS_REVIEW: ReportDefinition<AccessReviewRow> = {
  slug: "access-review",
  title: "Access review: who can approve or bypass controls",
  finds: `Users holding a role that can approve changes or get around a control: ${Object.entries(PRIVILEGED_ROLES)
    .map(([role, why]) => `${ROLE_LABELS[role as Role].toLowerCase()} (${why})`)
    .join("; ")}.`,
  whenEmpty: "No user holds a privileged role.",
  columns: [
    { header: "name", value: (r) => r.name },
    { header: "email", value: (r) => r.email },
    { header: "active", value: (r) => (r.active ? "active" : "deactivated") },
    { header: "privileged_roles", value: (r) => r.roles.map((role) => ROLE_LABELS[role]).join("; ") },
    { header: "held_since", value: (r) => r.grantedAt },
    { header: "how_granted", value: (r) => r.grants.map(describeGrant).join("; ") },
    { header: "last_sign_in", value: (r) => r.lastSignIn ?? "never" },
  ],
};

export const SIGN_IN_BURSTS: ReportDefinition<SignInBurstRow> = {
  slug: "failed-sign-in-bursts",
  title: "Failed sign-in bursts",
  finds: `${SIGN_IN_BURST_MIN_FAILURES} or more failed sign-ins for one account from one address within ${SIGN_IN_BURST_WINDOW_MINUTES} minutes, over the last ${SIGN_IN_BURST_LOOKBACK_DAYS} days, from the per-minute failure counts (each minute's first failure is in the audit log); "locked now" says whether the throttle currently locks that account.`,
  whenEmpty: `No burst of failed sign-ins in the last ${SIGN_IN_BURST_LOOKBACK_DAYS} days.`,
  columns: [
    { header: "account", value: (r) => r.account },
    { header: "address", value: (r) => r.address },
    { header: "window_start", value: (r) => r.windowStart },
    { header: "failures", value: (r) => r.failures },
    { header: "first_at", value: (r) => r.firstAt },
    { header: "last_at", value: (r) => r.lastAt },
    { header: "locked_now", value: (r) => (r.lockedNow ? "yes" : "no") },
  ],
};

export const EXCEPTION_REPORTS = [
  OVERDUE_EMERGENCIES,
  OUT_OF_WINDOW,
  CLOSED_WITHOUT_REVIEW,
  WAIVERS,
  ACCESS_REVIEW,
  SIGN_IN_BURSTS,
  UNAUTHORIZED_DEPLOYMENTS,
] as const;

export function reportBySlug(slug: string): ReportDefinition<unknown> | undefined {
  return (EXCEPTION_REPORTS as readonly ReportDefinition<never>[]).find((r) => r.slug === slug) as ReportDefinition<unknown> | undefined;
}
