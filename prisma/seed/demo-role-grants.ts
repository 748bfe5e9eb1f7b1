// Two-person role grants in the demo: one approved (Lee Lead's CAB seat, so the access review shows
// a requester and an approver) and one awaiting a second admin, which Ada Admin can decide.
import { grantRequestExpiry } from "../../lib/domain/role-grants";
import type { Tx } from "../../lib/server/db/transaction";

const DAY = 86_400_000;

export async function seedDemoRoleGrants(tx: Tx, ids: ReadonlyMap<string, string>, now = new Date()): Promise<void> {
  const ada = ids.get("admin@demo.local")!;
  const blair = ids.get("admin2@demo.local")!;
  const lee = ids.get("lead@demo.local")!;
  const requestedAt = new Date(now.getTime() - 10 * DAY);
  const decidedAt = new Date(now.getTime() - 9 * DAY);
  const approved = await tx.roleGrantRequest.create({
    data: {
      userId: lee,
      role: "cab_member",
      reason: "Lee represents the platform team on the CAB from this quarter.",
      requestedById: ada,
      requestedAt,
      expiresAt: grantRequestExpiry(requestedAt, 7),
      status: "approved",
      decidedById: blair,
      decidedAt,
      decisionReason: "Confirmed with the CAB chair.",
    },
    select: { id: true },
  });
  await tx.userRole.update({
    where: { userId_role: { userId: lee, role: "cab_member" } },
    data: { grantedById: blair, grantedAt: decidedAt, grantRequestId: approved.id },
  });
  const askedAt = new Date(now.getTime() - DAY);
  await tx.roleGrantRequest.create({
    data: {
      userId: lee,
      role: "change_manager",
      reason: "Covers change management while Morgan is on leave in January.",
      requestedById: blair,
      requestedAt: askedAt,
      expiresAt: grantRequestExpiry(askedAt, 7),
    },
  });
}
