// Raw statements on this test file's database, on a connection of their own.
import pg from "pg";
import { testDb } from "./fixtures";

/** Calls `fn` with a new connection to `url`, closed afterwards. */
export async function withConnection<T>(url: string | undefined, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs the statements in order on a new connection to `url`; returns the last one's rows. */
export function runStatements<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string | undefined,
  statements: string[],
): Promise<T[]> {
  return withConnection(url, async (client) => {
    let rows: T[] = [];
    for (const statement of statements) rows = (await client.query<T>(statement)).rows;
    return rows;
  });
}

/** As the schema owner, which the application's role is not. */
export const asOwner = <T extends pg.QueryResultRow = pg.QueryResultRow>(statements: string[]) =>
  runStatements<T>(process.env.TEST_OWNER_URL, statements);

/** One statement on the audit log with its no-update-delete trigger off: what only someone who could switch it off could do. */
export const behindAuditTriggers = (statement: string) =>
  asOwner([
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete",
    statement,
    "ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete",
  ]);

/** Resolves once some statement waits for a lock held by another transaction. */
export async function someoneWaits(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await testDb().$queryRaw<{ waiting: bigint }[]>`SELECT count(*) AS waiting FROM pg_locks WHERE NOT granted`;
    if (row && row.waiting > 0n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("No statement ever waited for the lock.");
}
