import "server-only";
import { effectiveGrantStatus, type RoleGrantStatus } from "@/lib/domain/role-grants";
import type { Role } from "@/lib/domain/roles";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

export type RoleGrantRequestRow = {
  id: string;
  role: Role;
  reason: string;
  status: RoleGrantStatus;
  requestedAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  decisionReason: string | null;
  user: { id: string; name: string; email: string };
  requestedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
};

const select = {
  id: true,
  role: true,
  reason: true,
  status: true,
  requestedAt: true,
  expiresAt: true,
  decidedAt: true,
  decisionReason: true,
  user: { select: { id: true, name: true, email: true } },
  requestedBy: { select: { id: true, name: true } },
  decidedBy: { select: { id: true, name: true } },
} as const;

const RECENT = 20;

/** Requests awaiting a second admin, oldest first, and the latest decided or lapsed; admins only (403). */
export async function listRoleGrantRequests(
  viewer: Actor,
  options: { userId?: string } = {},
): Promise<{ pending: RoleGrantRequestRow[]; recent: RoleGrantRequestRow[] }> {
  await refuseReadUnlessCan(viewer, "users.manage");
  const now = new Date();
  const where = options.userId ? { userId: options.userId } : {};
  const [pending, recent] = await Promise.all([
    db().roleGrantRequest.findMany({
      where: { ...where, status: "pending", expiresAt: { gt: now } },
      orderBy: { requestedAt: "asc" },
      select,
    }),
    db().roleGrantRequest.findMany({
      where: { ...where, OR: [{ status: { not: "pending" } }, { expiresAt: { lte: now } }] },
      orderBy: { requestedAt: "desc" },
      take: RECENT,
      select,
    }),
  ]);
  return { pending, recent: recent.map((r) => ({ ...r, status: effectiveGrantStatus(r, now) })) };
}
