import "server-only";
import { createHash } from "node:crypto";
import type pg from "pg";
import Cursor from "pg-cursor";
import { pgPool } from "../db/pg-pool";

const BATCH = 1_000;

export type StreamResult = { rowCount: number; sha256: string };

/**
 * Streams a query's rows as text through a server-side cursor inside one read-only snapshot, so
 * the file is consistent and memory holds one batch however many rows there are. The consumer's
 * reading paces the cursor (a pull stream). `onComplete` gets the row count and the SHA-256 of
 * every byte sent, once the last one has been handed over.
 */
export function streamQuery<Row>(options: {
  query: { text: string; values: unknown[] };
  header: string;
  line: (row: Row) => string;
  onComplete: (result: StreamResult) => Promise<void>;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const hash = createHash("sha256");
  let rowCount = 0;
  let client: pg.PoolClient | null = null;
  let cursor: Cursor<Row> | null = null;

  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const bytes = encoder.encode(text);
    hash.update(bytes);
    controller.enqueue(bytes);
  };
  const release = async (commit: boolean) => {
    const held = client;
    client = null;
    if (!held) return;
    try {
      await cursor?.close();
      await held.query(commit ? "COMMIT" : "ROLLBACK");
      held.release();
    } catch (error) {
      held.release(error as Error);
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        client = await pgPool().connect();
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        cursor = client.query(new Cursor<Row>(options.query.text, options.query.values));
        if (options.header) send(controller, options.header);
      },
      async pull(controller) {
        try {
          const rows = await cursor!.read(BATCH);
          if (rows.length > 0) {
            rowCount += rows.length;
            send(controller, rows.map(options.line).join(""));
            return;
          }
          await release(true);
          await options.onComplete({ rowCount, sha256: hash.digest("hex") });
          controller.close();
        } catch (error) {
          await release(false);
          controller.error(error);
        }
      },
      async cancel() {
        await release(false);
      },
    },
    // One batch ahead at most: the client's pace sets the server's.
    { highWaterMark: 1 },
  );
}
