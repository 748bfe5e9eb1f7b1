import "server-only";
import type { Tx } from "../db/transaction";

// Serialises every change to the set of admins, so two admins demoting each other at once
// cannot both succeed and leave none.
const ADMIN_SET_LOCK = 72_616_002;

export async function lockedActiveAdminIds(tx: Tx): Promise<string[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_SET_LOCK}::bigint)`;
  const rows = await tx.userRole.findMany({ where: { role: "admin", user: { active: true } }, select: { userId: true } });
  return rows.map((r) => r.userId);
}
