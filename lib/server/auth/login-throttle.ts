import "server-only";
import { db } from "../db/db";
import type { Tx } from "../db/transaction";
import { UNKNOWN_ADDRESS } from "@/lib/domain/client-address";
import { env } from "../env";

// Failures are counted per account and per client address in PostgreSQL, so every app
// instance sees the same counts. Unknown accounts are counted too: a lock-out must not
// reveal whether an account exists.
export type ThrottleKey = { key: string; maxFailures: number };

export function throttleKeys(email: string, address: string): ThrottleKey[] {
  const { LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_ADDRESS } = env();
  const account = { key: `account:${email}`, maxFailures: LOGIN_MAX_FAILURES_PER_ACCOUNT };
  // Every client whose address is unknown would share one key, so locking it would lock them all out.
  if (address === UNKNOWN_ADDRESS) return [account];
  return [account, { key: `address:${address}`, maxFailures: LOGIN_MAX_FAILURES_PER_ADDRESS }];
}

/** Minutes until the latest lock on any key ends, or 0 when none is locked. */
export async function lockedForMinutes(keys: ThrottleKey[]): Promise<number> {
  const rows = await db().$queryRaw<{ seconds: number }[]>`
    SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
    FROM login_throttle WHERE key = ANY(${keys.map((k) => k.key)}) AND locked_until > now()`;
  const seconds = rows[0]?.seconds ?? 0;
  return seconds > 0 ? Math.ceil(seconds / 60) : 0;
}

export async function recordFailure(tx: Tx, keys: ThrottleKey[]): Promise<void> {
  const { LOGIN_WINDOW_MINUTES, LOGIN_LOCKOUT_MINUTES } = env();
  for (const { key, maxFailures } of keys) {
    // One statement per key: concurrent failures on two instances add up instead of overwriting.
    await tx.$executeRaw`
      INSERT INTO login_throttle AS t (key, failures, window_started_at, locked_until)
      VALUES (${key}, 1, now(), CASE WHEN 1 >= ${maxFailures} THEN now() + make_interval(mins => ${LOGIN_LOCKOUT_MINUTES}) END)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.window_started_at < now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}) THEN 1 ELSE t.failures + 1 END,
        window_started_at = CASE WHEN t.window_started_at < now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}) THEN now() ELSE t.window_started_at END,
        locked_until = CASE
          WHEN (CASE WHEN t.window_started_at < now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}) THEN 1 ELSE t.failures + 1 END) >= ${maxFailures}
          THEN now() + make_interval(mins => ${LOGIN_LOCKOUT_MINUTES})
          ELSE t.locked_until END`;
  }
}

export async function clearAccountFailures(tx: Tx, email: string): Promise<void> {
  await tx.loginThrottle.deleteMany({ where: { key: `account:${email}` } });
}
