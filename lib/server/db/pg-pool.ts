import "server-only";
import pg from "pg";
import { env } from "../env";

// A plain pg pool beside Prisma's, for what Prisma cannot do or does slowly: streaming a query's
// rows through COPY (the exports) and reading millions of rows in batches (the live chain
// verification; lib/server/audit/verify-live-chain.ts). Small: both are rare and long. It keeps
// PostgreSQL's planner defaults, unlike the request pool (connection-options.ts): an export is one
// long query, where parallel workers sort a large result sooner (178k events of 1.8M: CSV
// 584-719 ms with two workers, 826-897 ms without; docs/performance.md, 2026-12-02 evening).
const holder = globalThis as { portalPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!holder.portalPgPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 4 });
    // An idle connection the server closes (a restart, a failover) is dropped, not a crash.
    pool.on("error", (error) => console.error("[db] idle export connection closed:", error.message));
    holder.portalPgPool = pool;
  }
  return holder.portalPgPool;
}
