// React aborts every render's cache signal when the render ends, with a new Error as the reason
// ("This render completed successfully…"). V8 keeps an Error's stack as call-site objects until
// `.stack` is first read, and those hold the frames' receivers: here the setImmediate that ran the
// render's last flush. A run immediate still links to the next one of its batch, whose async
// context is another request's render, whose abort reason holds its own immediate, and so on:
// from any one render kept alive (a pooled database socket opened during a request keeps that
// request's context) every later render stays reachable and the server grows without bound.
// Reading `.stack` turns the call sites into a string and lets them go.

const SETTLES = Symbol.for("portal.settlesAbortReasons");

/** Makes every AbortController format an Error reason's stack when it aborts, so no call sites outlive the abort. Idempotent. */
export function settleAbortReasons(): void {
  const abort = AbortController.prototype.abort as AbortController["abort"] & { [SETTLES]?: true };
  if (abort[SETTLES]) return;
  const settling = Object.assign(
    function (this: AbortController, reason?: unknown) {
      if (reason instanceof Error) void reason.stack;
      return abort.call(this, reason);
    },
    { [SETTLES]: true as const },
  );
  AbortController.prototype.abort = settling;
}
