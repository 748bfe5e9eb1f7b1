import "server-only";
import { dbTimeouts, env } from "../env";
import { createPrismaClient, type Db } from "./create-prisma-client";

// One client per process; kept on globalThis so dev-mode reloads don't open new pools.
const holder = globalThis as { portalDb?: Db };

export function db(): Db {
  holder.portalDb ??= createPrismaClient(env().DATABASE_URL, { timeouts: dbTimeouts() });
  return holder.portalDb;
}
