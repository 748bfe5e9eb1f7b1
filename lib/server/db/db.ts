import "server-only";
import pg from "pg";
import { dbTimeouts, env } from "../env";
import { createPrismaClient, requestPoolConfig, type Db } from "./create-prisma-client";

// One client per process; kept on globalThis so dev-mode reloads don't open new pools.
const holder = globalThis as { portalDb?: Db; portalRequestPool?: pg.Pool };

function newRequestPool(): pg.Pool {
  const pool = new pg.Pool(requestPoolConfig(env().DATABASE_URL, { timeouts: dbTimeouts() }));
  // An idle connection the server closes (a restart, a failover) is dropped, not a crash.
  pool.on("error", (error) => console.error("[db] idle connection closed:", error.message));
  return pool;
}

export function db(): Db {
  if (!holder.portalDb) {
    holder.portalRequestPool = newRequestPool();
    holder.portalDb = createPrismaClient(env().DATABASE_URL, { pool: holder.portalRequestPool });
  }
  return holder.portalDb;
}

/**
 * The connections under db(), for the few per-request statements that skip Prisma's layer (each
 * says why beside it). Name their statements, so each is prepared once per connection.
 */
export function requestPool(): pg.Pool {
  db();
  // A client put in place by hand (a bench row swaps them) comes without its pool: one like it.
  holder.portalRequestPool ??= newRequestPool();
  return holder.portalRequestPool;
}
