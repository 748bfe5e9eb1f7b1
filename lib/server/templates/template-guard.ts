import "server-only";
import { refuse, type Result } from "@/lib/domain/result";
import type { Tx } from "../db/transaction";

// Serialises writes within one template family (new versions, approvals, retirements), so
// two versions can never both wait for approval or both end up approved.
export async function lockFamily(tx: Tx, familyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${familyId}, 72616201))`;
}

/** Checks that every CI a template names exists; returns the refusal otherwise. */
export async function refuseUnknownCis(tx: Tx, ciIds: readonly string[]): Promise<Result<never> | null> {
  const found = await tx.configurationItem.count({ where: { id: { in: [...ciIds] } } });
  return found === ciIds.length
    ? null
    : refuse("Check the highlighted fields.", {
        ciIds: "One of the chosen configuration items no longer exists. Reload and choose again.",
      });
}
