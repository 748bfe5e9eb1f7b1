import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { meteredStream } from "@/lib/server/exports/metered-stream";

// A source that counts what it holds: opened (a database connection, say) until closed.
function source(batches: string[], options: { openDelayMs?: number; maxDurationMs?: number } = {}) {
  const state = { held: 0, closes: [] as boolean[], completed: null as null | { rowCount: number; sha256: string } };
  let next = 0;
  return {
    state,
    stream: meteredStream({
      header: "h\n",
      open: async () => {
        await new Promise((r) => setTimeout(r, options.openDelayMs ?? 0));
        state.held++;
      },
      nextBatch: async () => (next < batches.length ? { bytes: batches[next++]!, rows: 1 } : null),
      close: async (ok) => {
        state.closes.push(ok);
        if (state.held) state.held--;
      },
      onComplete: async (result) => {
        state.completed = result;
      },
      maxDurationMs: options.maxDurationMs,
    }),
  };
}

describe("meteredStream", () => {
  it("sends the header and every batch, then reports the row count and the SHA-256 of all bytes sent", async () => {
    const { stream, state } = source(["a\n", "b\n"]);
    const text = await new Response(stream).text();
    expect(text).toBe("h\na\nb\n");
    expect(state.completed).toEqual({ rowCount: 2, sha256: createHash("sha256").update(text).digest("hex") });
    expect(state.closes).toEqual([true]);
    expect(state.held).toBe(0);
  });

  it("releases what the source opened when cancelled while it was still opening, and reports nothing", async () => {
    const { stream, state } = source(["a\n"], { openDelayMs: 30 });
    await stream.cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(state.held).toBe(0);
    expect(state.closes).toContain(false);
    expect(state.completed).toBeNull();
  });

  it("ends an export past its maximum duration with a message and releases its source, even with no reader pulling", async () => {
    const { stream, state } = source(["a\n", "b\n"], { maxDurationMs: 40 });
    const reader = stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 100));
    expect(state.held).toBe(0);
    expect(state.closes).toEqual([false]);
    await expect(reader.read()).rejects.toThrow(/ran longer than \d+ s and was stopped/);
    expect(state.completed).toBeNull();
  });
});
