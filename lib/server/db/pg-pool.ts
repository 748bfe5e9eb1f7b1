import "server-only";
import pg from "pg";
import { dbTimeouts, env } from "../env";
import { withTimeouts } from "../connection-options";

// Plain pg pools beside Prisma's, for what Prisma cannot do or does slowly: streaming a query's
// rows through COPY (the exports) and reading millions of rows in batches (the live chain
// verification; lib/server/audit-verification/verify-live-chain.ts). Small: both are rare and long. They keep
// PostgreSQL's planner defaults, unlike the request pool (connection-options.ts): an export is one
// long query, where parallel workers sort a large result sooner (docs/performance.md).
const holder = globalThis as { portalPgPool?: pg.Pool; portalExportPool?: pg.Pool };

function newPool(max: number, statementTimeoutMs: number): pg.Pool {
  const timeouts = dbTimeouts();
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max,
    options: withTimeouts("", { ...timeouts, statementTimeoutMs }),
    connectionTimeoutMillis: timeouts.acquireTimeoutMs,
  });
  // An idle connection the server closes (a restart, a failover) is dropped, not a crash.
  pool.on("error", (error) => console.error("[db] idle connection closed:", error.message));
  return pool;
}

/** The live verifier's batches and other long reads: the request pool's limits. */
export function pgPool(): pg.Pool {
  holder.portalPgPool ??= newPool(4, dbTimeouts().statementTimeoutMs);
  return holder.portalPgPool;
}

/**
 * The exports' own connections (EXPORT_MAX_CONNECTIONS): however many exports run, the request
 * pool keeps its connections for votes and pages. One export's COPY may run EXPORT_MAX_SECONDS.
 */
export function exportPool(): pg.Pool {
  const { EXPORT_MAX_CONNECTIONS, EXPORT_MAX_SECONDS } = env();
  holder.portalExportPool ??= newPool(EXPORT_MAX_CONNECTIONS, EXPORT_MAX_SECONDS * 1000);
  return holder.portalExportPool;
}
