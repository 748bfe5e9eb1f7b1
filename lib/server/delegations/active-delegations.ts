import "server-only";
import type { Principal } from "@/lib/domain/decide-vote";
import type { Role } from "@/lib/domain/roles";
import type { Tx } from "../db/transaction";
import { db } from "../db/db";

export type ActiveDelegation = { id: string; delegatorId: string; delegatorName: string; delegatorRoles: Role[]; endsAt: Date };

/** The delegations this person holds right now, with each delegator as the database has them now (roles apply at once). */
export async function activeDelegationsFor(
  delegateId: string,
  now = new Date(),
  client: Tx | ReturnType<typeof db> = db(),
): Promise<ActiveDelegation[]> {
  const rows = await client.delegation.findMany({
    where: { delegateId, endedAt: null, startsAt: { lte: now }, endsAt: { gt: now }, delegator: { active: true, kind: "user" } },
    orderBy: { endsAt: "asc" },
    select: { id: true, delegatorId: true, endsAt: true, delegator: { select: { name: true, roles: { select: { role: true } } } } },
  });
  return rows.map((r) => ({
    id: r.id,
    delegatorId: r.delegatorId,
    delegatorName: r.delegator.name,
    delegatorRoles: r.delegator.roles.map((x) => x.role as Role),
    endsAt: r.endsAt,
  }));
}

/** The people this person may vote for right now, as the vote's rules take them. */
export async function delegatorsOf(delegateId: string, now = new Date()): Promise<Principal[]> {
  return (await activeDelegationsFor(delegateId, now)).map((d) => ({
    id: d.delegatorId,
    name: d.delegatorName,
    roles: d.delegatorRoles,
    kind: "user",
    delegationActive: true,
  }));
}

export type HeldDelegation = { delegatorId: string; delegatorName: string; delegateId: string };

/** Who holds the votes of these people right now: each active delegation to an active person (never a service account). */
export async function delegatesOf(
  delegatorIds: readonly string[],
  now = new Date(),
  client: Tx | ReturnType<typeof db> = db(),
): Promise<HeldDelegation[]> {
  if (delegatorIds.length === 0) return [];
  const rows = await client.delegation.findMany({
    where: {
      delegatorId: { in: [...delegatorIds] },
      endedAt: null,
      startsAt: { lte: now },
      endsAt: { gt: now },
      delegate: { active: true, kind: "user" },
    },
    select: { delegatorId: true, delegateId: true, delegator: { select: { name: true } } },
  });
  return rows.map((r) => ({ delegatorId: r.delegatorId, delegatorName: r.delegator.name, delegateId: r.delegateId }));
}
