import "server-only";
// The database's "I waited too long" answers, recognised so that a user who acts on a busy change
// is told to try again instead of being shown an error.
import type { Result } from "@/lib/domain/result";

export const DATABASE_BUSY =
  "Someone else is working on this right now, so the portal could not finish in time. Nothing was changed; try again in a moment.";

/** Thrown where the portal itself gives up waiting (a pool with no free connection). */
export class DatabaseBusyError extends Error {
  constructor(message = DATABASE_BUSY, options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseBusyError";
  }
}

// 55P03 lock_not_available (lock_timeout), 57014 query_canceled (statement_timeout).
const BUSY_SQLSTATES = new Set(["55P03", "57014"]);
// Prisma: P2028, a transaction that could not start (no connection within maxWait) or outlived its timeout.
const BUSY_PRISMA_CODES = new Set(["P2028"]);
// pg.Pool's answer when no connection frees up within connectionTimeoutMillis.
const POOL_TIMEOUT = /timeout exceeded when trying to connect|Connection terminated due to connection timeout/;

/**
 * Whether an error means "the database was busy": a lock or statement timeout, wherever the
 * driver put the SQLSTATE (pg's `code`, Prisma's adapter `originalCode`, nested causes), or a pool
 * or transaction that could not get a connection in time.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 6) return false;
    seen.add(value);
    if (value instanceof DatabaseBusyError) return true;
    const record = value as Record<string, unknown>;
    for (const key of ["code", "originalCode"]) {
      const code = record[key];
      if (typeof code === "string" && (BUSY_SQLSTATES.has(code) || BUSY_PRISMA_CODES.has(code))) return true;
    }
    if (typeof record.message === "string" && POOL_TIMEOUT.test(record.message)) return true;
    return ["cause", "meta", "driverAdapterError", "error"].some((key) => visit(record[key], depth + 1));
  };
  return visit(error, 0);
}

/** Runs a use case's transaction; the database's "busy" becomes a refusal the user can act on. */
export async function refuseWhenBusy<T>(work: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await work();
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
    console.warn("[db] busy:", error instanceof Error ? error.message : String(error));
    return { ok: false, message: DATABASE_BUSY, kind: "busy" };
  }
}
