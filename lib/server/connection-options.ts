// Sent by every connection of the application's request pool when it opens (libpq `options`).
// - No parallel workers: under concurrent requests on a small server they add no throughput, and
//   starting them cost more than the query (docs/performance.md).
// - random_page_cost 1.1 (PostgreSQL's default, 4, prices a disk seek): the working set is in
//   memory or on SSD; at the default the planner read whole tables to join a few thousand rows.
// The bench EXPLAINs with these too.
export const APP_CONNECTION_OPTIONS = "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1";

/** How long the application waits on the database before it gives up and says "busy, try again". */
export type DbTimeouts = {
  /** A statement waiting for a row or table lock (a change another request holds): SQLSTATE 55P03. */
  lockTimeoutMs: number;
  /** Any one statement: SQLSTATE 57014. */
  statementTimeoutMs: number;
  /** A transaction left open with nothing running holds its locks; the server ends its session. */
  idleInTransactionTimeoutMs: number;
  /** Waiting for a free connection of the pool. */
  acquireTimeoutMs: number;
};

// A vote or transition holds a change's lock for milliseconds: seconds of waiting mean something is stuck.
export const DEFAULT_DB_TIMEOUTS: DbTimeouts = {
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  acquireTimeoutMs: 10_000,
};

/** The session settings of a connection with these limits (libpq `options`), after `base`. */
export function withTimeouts(base: string, timeouts: Omit<DbTimeouts, "acquireTimeoutMs">): string {
  const ms = (n: number) => String(Math.max(0, Math.trunc(n)));
  return [
    base,
    `-c lock_timeout=${ms(timeouts.lockTimeoutMs)}`,
    `-c statement_timeout=${ms(timeouts.statementTimeoutMs)}`,
    `-c idle_in_transaction_session_timeout=${ms(timeouts.idleInTransactionTimeoutMs)}`,
  ]
    .filter(Boolean)
    .join(" ");
}
