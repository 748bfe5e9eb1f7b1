import http from "node:http";
import https from "node:https";
import { PEER_ADDRESS_HEADER } from "./peer-address-header";

// Next.js hands the application only a request's headers, never its socket, and it keeps a
// client-sent X-Forwarded-For instead of the socket's address. So, before Next.js sees a request,
// the socket's address is written into a header of our own, replacing whatever the client sent.
const STAMPS = Symbol.for("portal.stampsPeerAddress");

/** Idempotent: a second bundle of this module finds the mark and leaves the servers alone. */
export function stampPeerAddress(): void {
  for (const Server of [http.Server, https.Server]) {
    const prototype = Server.prototype as typeof Server.prototype & { [STAMPS]?: true };
    if (prototype[STAMPS]) continue;
    prototype[STAMPS] = true;
    const emit = Server.prototype.emit as (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
    Server.prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const request = args[0] as http.IncomingMessage;
        request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
      }
      return emit.call(this, event, ...args);
    } as typeof Server.prototype.emit;
  }
}
