import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
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

  it("logs a failure mid-stream, releases the source, ends the stream with an error of its own and reports nothing", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const closes: boolean[] = [];
    let completed = false;
    let pulls = 0;
    const stream = meteredStream({
      header: "h\n",
      nextBatch: async () => {
        if (pulls++ === 0) return { bytes: "a\n", rows: 1 };
        throw new Error('date/time field value out of range: "+010000-01-01"');
      },
      close: async (ok) => void closes.push(ok),
      onComplete: async () => void (completed = true),
    });
    const reader = stream.getReader();
    const received: string[] = [];
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        received.push(new TextDecoder().decode(value));
      }
    })().catch((error: Error) => error);
    expect(received.join("")).toBe("h\na\n");
    expect(failure?.message).toBe("The export failed; see the server log.");
    expect(logged.mock.calls.flat().join(" ")).toMatch(/\[export\] stream failed after 1 rows: date\/time field value out of range/);
    expect(closes).toEqual([false]);
    expect(completed).toBe(false);
    logged.mockRestore();
  });
});
