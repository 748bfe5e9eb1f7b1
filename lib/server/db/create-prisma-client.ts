// Not 'server-only': the seed and the tests build clients too. The app uses lib/server/db/db.ts.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { APP_CONNECTION_OPTIONS, DEFAULT_DB_TIMEOUTS, withTimeouts, type DbTimeouts } from "../connection-options";
import { statementNames } from "./statement-names";

export type Db = ReturnType<typeof createPrismaClient>;

export function createPrismaClient(connectionString: string, options: { max?: number; timeouts?: DbTimeouts } = {}) {
  const timeouts = options.timeouts ?? DEFAULT_DB_TIMEOUTS;
  // Named statements: each connection parses and plans a statement once (statement-names.ts);
  // no parallel workers for request queries, and no wait without end (connection-options.ts).
  const adapter = new PrismaPg(
    {
      connectionString,
      max: options.max ?? 10,
      options: withTimeouts(APP_CONNECTION_OPTIONS, timeouts),
      connectionTimeoutMillis: timeouts.acquireTimeoutMs,
    },
    { statementNameGenerator: statementNames() },
  );
  // A password hash is never selected unless a query asks for it by name.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}
