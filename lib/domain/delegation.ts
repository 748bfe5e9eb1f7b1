import type { Role } from "./roles";
import type { AccountKind } from "./segregation-of-duties";

/** The roles whose votes a person may hand to a delegate while away. */
export const DELEGABLE_ROLES = ["cab_member", "security_reviewer"] as const satisfies readonly Role[];

/** A delegate is an approver themselves (who reads every change and answers for a vote); never an auditor or a bot. */
export const DELEGATE_ROLES = ["cab_member", "security_reviewer", "change_manager"] as const satisfies readonly Role[];

export const NOT_DELEGATOR = "Only a CAB member or a security reviewer names a delegate for their votes.";

/** The longest one delegation may run; a longer absence is a role change, not a delegation. */
export const MAX_DELEGATION_DAYS = 90;

export type DelegationPeriod = { startsAt: Date; endsAt: Date; endedAt: Date | null };

/** Whether a delegation holds at this instant: started, not past its end, not ended early. */
export function isDelegationActive(d: DelegationPeriod, now: Date): boolean {
  return d.endedAt === null && d.startsAt.getTime() <= now.getTime() && now.getTime() < d.endsAt.getTime();
}

type Person = { id: string; roles: readonly Role[]; kind: AccountKind; active: boolean };

/**
 * May this delegator name this delegate for this period? A service account can never be a
 * delegate (it is not a person); the per-change rules (segregation of duties) are checked at
 * each vote, since a delegate may be party to one change and independent of the next.
 */
export function delegationRefusals(input: {
  delegator: Person;
  delegate: Person | null;
  startsAt: Date;
  endsAt: Date;
  now: Date;
  /** Another delegation of this delegator overlapping the period. */
  overlaps: boolean;
}): string[] {
  const { delegator, delegate, startsAt, endsAt, now } = input;
  const reasons: (string | false)[] = [
    delegator.kind === "service_account" && "A service account cannot delegate; only a person can.",
    !delegator.roles.some((r) => (DELEGABLE_ROLES as readonly Role[]).includes(r)) && NOT_DELEGATOR,
    !delegate && "Choose an active person as your delegate.",
    !!delegate && delegate.kind === "service_account" && "A service account cannot be a delegate; only a person can.",
    !!delegate && !delegate.active && "That person's account is deactivated.",
    !!delegate &&
      delegate.kind !== "service_account" &&
      !delegate.roles.some((r) => (DELEGATE_ROLES as readonly Role[]).includes(r)) &&
      "Your delegate must be an approver too (a CAB member, security reviewer or change manager), who can read the changes they vote on.",
    !!delegate && delegate.id === delegator.id && "You cannot be your own delegate.",
    endsAt.getTime() <= startsAt.getTime() && "The delegation must end after it starts.",
    endsAt.getTime() <= now.getTime() && "The delegation must end in the future.",
    endsAt.getTime() - startsAt.getTime() > MAX_DELEGATION_DAYS * 86_400_000 &&
      `A delegation runs at most ${MAX_DELEGATION_DAYS} days; name it again when it ends.`,
    input.overlaps && "You already have a delegate for part of that period; end that delegation first.",
  ];
  return reasons.filter((r): r is string => typeof r === "string");
}
