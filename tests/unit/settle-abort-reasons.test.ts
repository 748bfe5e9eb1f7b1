import { afterEach, describe, expect, it } from "vitest";
import { register } from "@/instrumentation";

// V8 formats an Error's stack (through Error.prepareStackTrace) the first time `.stack` is read,
// and keeps the raw call sites, with everything they reach, until then. The server's
// instrumentation makes an abort read it, so a render's abort reason holds no call sites.
const formatted: Error[] = [];
const original = Error.prepareStackTrace;
const originalAbort = AbortController.prototype.abort;
const originalRuntime = process.env.NEXT_RUNTIME;
// register() patches AbortController and reads NEXT_RUNTIME: both are put back after each test.
afterEach(() => {
  Error.prepareStackTrace = original;
  formatted.length = 0;
  AbortController.prototype.abort = originalAbort;
  if (originalRuntime === undefined) delete process.env.NEXT_RUNTIME;
  else process.env.NEXT_RUNTIME = originalRuntime;
});
function watchFormatting() {
  Error.prepareStackTrace = (error, frames) => {
    formatted.push(error);
    return `${error.name}: ${error.message} (${frames.length} frames)`;
  };
}

describe("abort reasons' stacks", () => {
  it("stay unformatted until read, without the server's instrumentation (the premise)", () => {
    watchFormatting();
    const reason = new Error("not aborted with");
    expect(formatted).toEqual([]);
    void reason.stack;
    expect(formatted).toEqual([reason]);
  });

  it("are formatted when a controller aborts once the server has started, the abort itself unchanged", async () => {
    process.env.NEXT_RUNTIME = "nodejs";
    await register();
    const settling = AbortController.prototype.abort;
    await register();
    expect(AbortController.prototype.abort).toBe(settling); // a second start does not wrap twice
    watchFormatting();
    const controller = new AbortController();
    const seen: unknown[] = [];
    controller.signal.addEventListener("abort", () => seen.push(controller.signal.reason));
    const reason = new Error("This render completed successfully.");
    controller.abort(reason);
    expect(formatted).toEqual([reason]);
    expect(controller.signal.aborted).toBe(true);
    expect(seen).toEqual([reason]);

    const other = new AbortController();
    other.abort("a plain reason");
    expect(other.signal.reason).toBe("a plain reason");
    const none = new AbortController();
    none.abort();
    expect(none.signal.reason).toBeInstanceOf(DOMException);
    expect(formatted).toEqual([reason]);
  });
});
