// Runs once when a Next.js server starts, before it serves a request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { settleAbortReasons } = await import("./lib/server/runtime/settle-abort-reasons");
    settleAbortReasons();
    const { stampPeerAddress } = await import("./lib/server/runtime/stamp-peer-address");
    stampPeerAddress();
  }
}
