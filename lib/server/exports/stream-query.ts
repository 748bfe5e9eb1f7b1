import "server-only";
import type pg from "pg";
import Cursor from "pg-cursor";
import { pgPool } from "../db/pg-pool";
import { meteredStream, type StreamResult } from "./metered-stream";

const BATCH = 1_000;

/**
 * A query's rows as text through a server-side cursor inside one read-only snapshot, so the file
 * is consistent however long the download takes, and memory holds one batch whatever the size.
 */
export function streamQuery<Row>(options: {
  query: { text: string; values: unknown[] };
  header: string;
  line: (row: Row) => string;
  onComplete: (result: StreamResult) => Promise<void>;
}): ReadableStream<Uint8Array> {
  let client: pg.PoolClient | null = null;
  let cursor: Cursor<Row> | null = null;
  return meteredStream({
    header: options.header,
    open: async () => {
      client = await pgPool().connect();
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      cursor = client.query(new Cursor<Row>(options.query.text, options.query.values));
    },
    nextBatch: async () => (await cursor!.read(BATCH)).map(options.line),
    close: async (ok) => {
      const held = client;
      client = null;
      if (!held) return;
      try {
        await cursor?.close();
        await held.query(ok ? "COMMIT" : "ROLLBACK");
        held.release();
      } catch (error) {
        held.release(error as Error);
      }
    },
    onComplete: options.onComplete,
  });
}
