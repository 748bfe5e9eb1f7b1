import "server-only";
import { can } from "@/lib/domain/capabilities";
import { CHECKLIST_STATES } from "@/lib/domain/decide-sign-off";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";

export const WORK_PAGE_SIZE = 25;

/** Checklist items a security reviewer may sign: pending, security-owned, on changes the reviewer is no party to; none for anyone else. */
export async function listSecurityQueue(actor: Actor, after?: string) {
  if (!can(actor.roles, "security.review")) return { rows: [], nextCursor: null };
  const rows = await db().checklistItem.findMany({
    where: {
      status: "pending",
      signerRole: "security_reviewer",
      ...(after ? { id: { gt: after } } : {}),
      change: {
        state: { in: [...CHECKLIST_STATES] },
        requesterId: { not: actor.id },
        OR: [{ implementerId: null }, { implementerId: { not: actor.id } }],
      },
    },
    orderBy: { id: "asc" },
    take: WORK_PAGE_SIZE + 1,
    select: {
      id: true,
      key: true,
      title: true,
      evidenceWanted: true,
      change: {
        select: { id: true, number: true, title: true, type: true, state: true, plannedStart: true, riskLevel: true, riskScore: true },
      },
    },
  });
  const page = rows.slice(0, WORK_PAGE_SIZE);
  return { rows: page, nextCursor: rows.length > WORK_PAGE_SIZE ? page.at(-1)!.id : null };
}

/** The implementer's work: changes assigned to them that are scheduled, running, or (emergencies) authorized. */
export async function listImplementerWork(actor: Actor, after?: string) {
  const rows = await db().changeRequest.findMany({
    where: {
      implementerId: actor.id,
      state: { in: ["scheduled", "implementing", "authorization"] },
      ...(after ? { id: { gt: after } } : {}),
    },
    orderBy: { id: "asc" },
    take: WORK_PAGE_SIZE + 1,
    select: {
      id: true,
      number: true,
      title: true,
      type: true,
      state: true,
      plannedStart: true,
      plannedEnd: true,
      riskLevel: true,
      riskScore: true,
    },
  });
  const page = rows.slice(0, WORK_PAGE_SIZE);
  return {
    rows: page.sort((a, b) => (a.plannedStart?.getTime() ?? 0) - (b.plannedStart?.getTime() ?? 0)),
    nextCursor: rows.length > WORK_PAGE_SIZE ? page.at(-1)!.id : null,
  };
}
