import "server-only";
import { can } from "@/lib/domain/capabilities";
import { DELEGABLE_ROLES, isDelegationActive } from "@/lib/domain/delegation";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";

const SELECT = {
  id: true,
  startsAt: true,
  endsAt: true,
  endedAt: true,
  reason: true,
  createdAt: true,
  delegator: { select: { id: true, name: true, email: true } },
  delegate: { select: { id: true, name: true, email: true } },
} as const;

export type DelegationRow = Awaited<ReturnType<typeof listOwnDelegations>>["given"][number];

function withStatus<T extends { startsAt: Date; endsAt: Date; endedAt: Date | null }>(rows: T[], now: Date) {
  return rows.map((r) => ({
    ...r,
    status: r.endedAt
      ? ("ended early" as const)
      : isDelegationActive(r, now)
        ? ("active" as const)
        : r.startsAt > now
          ? ("upcoming" as const)
          : ("over" as const),
  }));
}

/** The delegations a person gave and holds, newest first (the last 50 of each). */
export async function listOwnDelegations(userId: string, now = new Date()) {
  const [given, held] = await Promise.all([
    db().delegation.findMany({ where: { delegatorId: userId }, orderBy: { createdAt: "desc" }, take: 50, select: SELECT }),
    db().delegation.findMany({ where: { delegateId: userId }, orderBy: { createdAt: "desc" }, take: 50, select: SELECT }),
  ]);
  return { given: withStatus(given, now), held: withStatus(held, now) };
}

/** Every current and upcoming delegation, then the last 100 past ones: for admins only. */
export async function listAllDelegations(actor: Actor, now = new Date()) {
  if (!can(actor.roles, "users.manage")) return { current: [], past: [] };
  const [current, past] = await Promise.all([
    db().delegation.findMany({ where: { endedAt: null, endsAt: { gt: now } }, orderBy: { startsAt: "asc" }, take: 200, select: SELECT }),
    db().delegation.findMany({
      where: { OR: [{ endedAt: { not: null } }, { endsAt: { lte: now } }] },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: SELECT,
    }),
  ]);
  return { current: withStatus(current, now), past: withStatus(past, now) };
}

/** Who may be named: active people (never service accounts), other than the person naming. */
export async function listDelegateCandidates(userId: string) {
  return db().user.findMany({
    where: { active: true, kind: "user", id: { not: userId } },
    orderBy: { name: "asc" },
    take: 500,
    select: { id: true, name: true, email: true },
  });
}

export function canDelegate(roles: readonly string[]): boolean {
  return roles.some((r) => (DELEGABLE_ROLES as readonly string[]).includes(r));
}
