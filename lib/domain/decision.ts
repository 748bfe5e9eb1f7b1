import type { ChangeState } from "./change-states";

/** The one audit event an accepted action writes; the server adds actor, time, before/after and the hash. */
export type AuditDescription = {
  /** The event's name, e.g. "change.submitted", "change.vote_cast". */
  action: string;
  from: ChangeState;
  to: ChangeState;
  reason: string | null;
  details: Readonly<Record<string, string | number | boolean | null>>;
};

/** What the domain says to an action: allowed, with the state it leads to and its audit event, or refused and why. */
export type Decision = { allowed: true; to: ChangeState; audit: AuditDescription } | { allowed: false; reasons: string[] };

export function allow(audit: AuditDescription): Decision {
  return { allowed: true, to: audit.to, audit };
}

/** Refuses with the reasons that apply, or allows when there are none. */
export function decideFrom(reasons: readonly (string | null | undefined | false)[], audit: () => AuditDescription): Decision {
  const refusals = reasons.filter((r): r is string => typeof r === "string" && r.length > 0);
  return refusals.length > 0 ? { allowed: false, reasons: refusals } : allow(audit());
}
