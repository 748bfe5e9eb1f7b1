import "server-only";
import { createHash } from "node:crypto";

export type StreamResult = { rowCount: number; sha256: string };

/**
 * A pull stream of rows: the source hands over one batch of finished lines per pull (text, or
 * bytes straight from the database; null when it has no more), so the reader's pace sets the
 * database's and memory holds one batch. Every byte sent goes through SHA-256 and every row is
 * counted, for the export's manifest.
 */
export function meteredStream(source: {
  header: string;
  open?: () => Promise<void>;
  nextBatch: () => Promise<{ bytes: Uint8Array | string; rows: number } | null>;
  /** Releases the source: `ok` after the last batch, not after an error or a cancelled download. */
  close: (ok: boolean) => Promise<void>;
  onComplete: (result: StreamResult) => Promise<void>;
  /** Past this the stream is ended with an error and its source released, read or not. */
  maxDurationMs?: number;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const hash = createHash("sha256");
  let rowCount = 0;
  let closed = false;
  let deadline: NodeJS.Timeout | undefined;
  const close = async (ok: boolean) => {
    if (closed) return;
    closed = true;
    clearTimeout(deadline);
    await source.close(ok);
  };
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, data: Uint8Array | string) => {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    hash.update(bytes);
    controller.enqueue(bytes);
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        if (source.maxDurationMs !== undefined) {
          const seconds = Math.ceil(source.maxDurationMs / 1000);
          // A stalled reader must not hold a database connection: the deadline holds without a pull.
          deadline = setTimeout(() => {
            controller.error(new Error(`The export ran longer than ${seconds} s and was stopped; narrow the filters and export again.`));
            void close(false);
          }, source.maxDurationMs);
          deadline.unref();
        }
        await source.open?.();
        // Cancelled while it opened (start is not awaited by cancel): release what open() took.
        if (closed) return source.close(false);
        if (source.header) send(controller, source.header);
      },
      async pull(controller) {
        try {
          const batch = await source.nextBatch();
          if (batch) {
            rowCount += batch.rows;
            send(controller, batch.bytes);
            return;
          }
          await close(true);
          await source.onComplete({ rowCount, sha256: hash.digest("hex") });
          controller.close();
        } catch (error) {
          await close(false);
          controller.error(error);
        }
      },
      cancel: () => close(false),
    },
    { highWaterMark: 1 },
  );
}
