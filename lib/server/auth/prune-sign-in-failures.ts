import "server-only";
import { SIGN_IN_BURST_LOOKBACK_DAYS } from "@/lib/domain/exception-reports";
import { db } from "../db/db";

/**
 * Deletes the per-minute sign-in failure counts older than the bursts report looks back: nothing
 * reads them after that, and each minute's first failure stays in the audit log.
 */
export async function pruneSignInFailureMinutes(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - SIGN_IN_BURST_LOOKBACK_DAYS * 86_400_000);
  const { count } = await db().signInFailureMinute.deleteMany({ where: { minute: { lt: before } } });
  return count;
}
