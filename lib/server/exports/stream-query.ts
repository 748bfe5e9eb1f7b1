import "server-only";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { DatabaseBusyError } from "../db/database-busy";
import { exportPool } from "../db/pg-pool";
import type { Prisma } from "../db/generated/client";
import { BinaryCopyLines, type LineFormat } from "./binary-copy-lines";
import { meteredStream, type StreamResult } from "./metered-stream";

const BATCH_BYTES = 64 * 1024;

/** COPY takes no bind parameters: the query with its (validated) values written in as literals. */
export function inlineSql(client: Pick<pg.ClientBase, "escapeLiteral">, sql: Prisma.Sql): string {
  return sql.text.replace(/\$(\d+)/g, (_, i: string) => {
    const value = sql.values[Number(i) - 1];
    return client.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
  });
}

/**
 * A connection of the exports' own pool, taken before the export starts: when every one is busy
 * for DB_POOL_ACQUIRE_TIMEOUT_MS the request is refused as busy, before anything is written.
 */
export async function exportConnection(): Promise<pg.PoolClient> {
  try {
    return await exportPool().connect();
  } catch (error) {
    throw new DatabaseBusyError("Every export connection is in use; try again in a minute.", { cause: error });
  }
}

/**
 * Streams a query through COPY ... TO STDOUT inside one read-only snapshot: the file is consistent
 * however long the download takes, and the reader's pace sets the database's. The query's text
 * columns come in PostgreSQL's binary format and leave as the lines of `format` (BinaryCopyLines).
 */
export function streamLines(options: {
  /** From exportConnection(); the stream releases it. */
  client: pg.PoolClient;
  query: Prisma.Sql;
  format: LineFormat;
  header: string;
  maxDurationMs: number;
  onComplete: (result: StreamResult) => Promise<void>;
}): ReadableStream<Uint8Array> {
  let client: pg.PoolClient | null = options.client;
  let chunks: AsyncIterator<Buffer> | null = null;
  const lines = new BinaryCopyLines(options.format);
  return meteredStream({
    header: options.header,
    maxDurationMs: options.maxDurationMs,
    open: async () => {
      if (!client) return;
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const copy = client.query(copyTo(`COPY (${inlineSql(client, options.query)}) TO STDOUT (FORMAT binary)`));
      chunks = (copy as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    },
    // COPY hands over what each socket read brought: about 64 KiB of lines per batch, so the
    // response is written in few large chunks.
    nextBatch: async () => {
      let rows = 0;
      while (lines.written < BATCH_BYTES) {
        const next = await chunks!.next();
        if (next.done) {
          lines.finish();
          break;
        }
        rows += lines.push(next.value);
      }
      const bytes = lines.take();
      return bytes.length === 0 ? null : { bytes, rows };
    },
    close: async (ok) => {
      const held = client;
      client = null;
      if (!held) return;
      // A COPY cut short leaves the connection mid-protocol: close it (the server rolls back).
      if (!ok) return held.release(new Error("export cut short"));
      try {
        await held.query("COMMIT");
        held.release();
      } catch (error) {
        held.release(error as Error);
      }
    },
    onComplete: options.onComplete,
  });
}
