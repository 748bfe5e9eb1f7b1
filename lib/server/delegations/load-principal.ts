import "server-only";
import type { Principal } from "@/lib/domain/decide-vote";
import { isDelegationActive } from "@/lib/domain/delegation";
import type { Role } from "@/lib/domain/roles";
import type { Tx } from "../db/transaction";

/**
 * The delegator a delegate votes for, as the database has them now, and whether a delegation
 * from them to this delegate holds at this instant; null when none was ever made.
 */
export async function loadPrincipal(tx: Tx, delegateId: string, delegatorId: string, now = new Date()): Promise<Principal | undefined> {
  const delegations = await tx.delegation.findMany({
    where: { delegateId, delegatorId },
    select: {
      startsAt: true,
      endsAt: true,
      endedAt: true,
      delegator: { select: { id: true, name: true, kind: true, active: true, roles: { select: { role: true } } } },
    },
  });
  const first = delegations[0];
  if (!first) return undefined;
  const { delegator } = first;
  return {
    id: delegator.id,
    name: delegator.name,
    kind: delegator.kind,
    // A deactivated delegator's roles no longer count: nobody votes for them.
    roles: delegator.active ? delegator.roles.map((r) => r.role as Role) : [],
    delegationActive: delegations.some((d) => isDelegationActive(d, now)),
  };
}
