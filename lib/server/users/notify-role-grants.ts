import "server-only";
import { ROLE_LABELS, type Role } from "@/lib/domain/roles";
import type { Tx } from "../db/transaction";
import { enqueueMails } from "../deliveries/enqueue-mails";

// Written in the request's or the decision's transaction, like every notification (docs/jobs.md).

async function send(tx: Tx, kind: "role_grant_awaited" | "role_grant_decided", userIds: string[], message: string) {
  if (userIds.length === 0) return;
  const created = await tx.notification.createManyAndReturn({
    data: userIds.map((userId) => ({ userId, kind, message })),
    select: { id: true, userId: true, kind: true, changeId: true, message: true },
  });
  await enqueueMails(tx, created);
}

/** Every other active admin but the grantee: one of them must decide. */
export async function notifyRoleGrantRequested(
  tx: Tx,
  r: { requesterId: string; requesterName: string; userId: string; userName: string; role: Role },
): Promise<void> {
  const admins = await tx.user.findMany({
    where: { active: true, kind: "user", id: { notIn: [r.requesterId, r.userId] }, roles: { some: { role: "admin" } } },
    select: { id: true },
  });
  await send(
    tx,
    "role_grant_awaited",
    admins.map((a) => a.id),
    `${r.requesterName} asks for ${ROLE_LABELS[r.role]} for ${r.userName}. A second admin must approve or refuse it on Role requests (/admin/role-requests).`,
  );
}

/** The admin who asked learns the outcome. */
export async function notifyRoleGrantDecided(
  tx: Tx,
  r: { requesterId: string; deciderName: string; userName: string; role: Role; approved: boolean; reason?: string },
): Promise<void> {
  const message = r.approved
    ? `${r.deciderName} approved ${ROLE_LABELS[r.role]} for ${r.userName}; it is granted.`
    : `${r.deciderName} refused ${ROLE_LABELS[r.role]} for ${r.userName}: ${r.reason ?? ""}`;
  await send(tx, "role_grant_decided", [r.requesterId], message);
}
