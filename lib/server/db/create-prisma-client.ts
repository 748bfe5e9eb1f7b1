// Not 'server-only': the seed and the tests build clients too. The app uses lib/server/db/db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { APP_CONNECTION_OPTIONS, DEFAULT_DB_TIMEOUTS, withTimeouts, type DbTimeouts } from "../connection-options";
import { statementNames } from "./statement-names";

export type Db = ReturnType<typeof createPrismaClient>;

type PoolOptions = { max?: number; timeouts?: DbTimeouts };

/** The request pool's connections: no parallel workers, and no wait without end (connection-options.ts). */
export function requestPoolConfig(connectionString: string, options: PoolOptions = {}): pg.PoolConfig {
  const timeouts = options.timeouts ?? DEFAULT_DB_TIMEOUTS;
  return {
    connectionString,
    max: options.max ?? 10,
    options: withTimeouts(APP_CONNECTION_OPTIONS, timeouts),
    connectionTimeoutMillis: timeouts.acquireTimeoutMs,
  };
}

/** A client on its own pool, or on `pool` (made with requestPoolConfig), which it then ends on $disconnect. */
export function createPrismaClient(connectionString: string, options: PoolOptions & { pool?: pg.Pool } = {}) {
  // Named statements: each connection parses and plans a statement once (statement-names.ts).
  const adapter = new PrismaPg(options.pool ?? requestPoolConfig(connectionString, options), {
    statementNameGenerator: statementNames(),
    disposeExternalPool: true,
  });
  // A password hash is never selected unless a query asks for it by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}
