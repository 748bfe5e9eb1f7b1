import "server-only";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pgPool } from "../db/pg-pool";
import type { Prisma } from "../db/generated/client";
import { BinaryCopyJsonLines, type JsonField } from "./binary-copy-json-lines";
import { CsvLineEnds } from "./csv-line-ends";
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
 * Streams a query through COPY ... TO STDOUT inside one read-only snapshot: the file is consistent
 * however long the download takes, the reader's pace sets the database's, and rows pass through as
 * bytes. `json`: text columns read in binary format and written as one JSON object per row (`json`
 * names the keys); `csv`: PostgreSQL's CSV writer, its record ends turned into CRLF.
 */
export function streamLines(options: { query: Prisma.Sql; copy: "csv" | "json"; json: readonly JsonField[]; header: string; onComplete: (result: StreamResult) => Promise<void> }): ReadableStream<Uint8Array> {
  let client: pg.PoolClient | null = null;
  let chunks: AsyncIterator<Buffer> | null = null;
  const rows = new BinaryCopyJsonLines(options.json);
  const csv = new CsvLineEnds();
  return meteredStream({
    header: options.header,
    open: async () => {
      client = await pgPool().connect();
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const format = options.copy === "csv" ? "csv" : "binary";
      const copy = client.query(copyTo(`COPY (${inlineSql(client, options.query)}) TO STDOUT (FORMAT ${format})`));
      chunks = (copy as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    },
    // COPY hands over small pieces (often one row each): gather about 64 KiB per batch, so the
    // response is written in few large chunks rather than one per row.
    nextBatch: async () => {
      const parts: Uint8Array[] = [];
      let size = 0;
      let count = 0;
      while (size < BATCH_BYTES) {
        const next = await chunks!.next();
        if (next.done) break;
        let bytes: Uint8Array;
        if (options.copy === "csv") {
          const before = csv.records;
          bytes = csv.convert(next.value);
          count += csv.records - before;
        } else {
          const batch = rows.push(next.value);
          bytes = batch.bytes;
          count += batch.rows;
        }
        if (bytes.length) parts.push(bytes);
        size += bytes.length;
      }
      return size === 0 ? null : { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), rows: count };
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
