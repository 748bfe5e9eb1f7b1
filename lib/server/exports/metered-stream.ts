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
  // The headers are gone once the stream runs: a failure can only cut the download, so the client
  // sees it incomplete (the manifest stays unfinished), and the reason goes to the log.
  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    console.error(`[export] stream failed after ${rowCount} rows: ${error instanceof Error ? error.message : String(error)}`);
    await close(false).catch((closing: unknown) => console.error("[export] releasing the source failed:", closing));
    controller.error(new Error("The export failed; see the server log."));
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
        try {
          await source.open?.();
        } catch (error) {
          return fail(controller, error);
        }
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
          await fail(controller, error);
        }
      },
      cancel: () => close(false),
    },
    { highWaterMark: 1 },
  );
}
