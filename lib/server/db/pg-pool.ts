import "server-only";
import pg from "pg";
import { env } from "../env";

// A plain pg pool beside Prisma's, for what Prisma cannot do: reading a query through a
// server-side cursor (the streaming exports). Small: exports are few and long.
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
