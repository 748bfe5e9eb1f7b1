import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction, Socket } from "node:net";
import { addressBytes, refusedAddress, type AddressRange } from "@/lib/domain/outbound-address";

export type PostLimits = {
  /** Ranges the admin allowed despite being private (WEBHOOK_ALLOWED_PRIVATE_RANGES). */
  allowed: readonly AddressRange[];
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxResponseBytes: number;
};

export type PostResult = { status: number; excerpt: string };

/** A refusal to send at all (the address), as opposed to a receiver that failed. */
export class RefusedDestination extends Error {}

/** Why a URL cannot be a webhook's target as written (scheme, credentials, an IP literal that is refused), or null. */
export function urlProblem(url: string, allowed: PostLimits["allowed"]): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "A webhook URL starts with https:// (or http://).";
  if (u.username || u.password) return "Put no user name or password in the URL: receivers verify the signature instead.";
  if (addressBytes(u.hostname)) {
    const why = refusedAddress(u.hostname.replace(/^\[|\]$/g, ""), allowed);
    if (why) return `The portal does not send to ${why}.`;
  }
  return null;
}

/**
 * POSTs one webhook without following redirects, refusing private, loopback and link-local
 * addresses: a name is resolved here and every address it resolves to is checked before the
 * socket connects to it (so a name that re-resolves to an inner address, DNS rebinding, is
 * refused), and the connected socket's address is checked again. Connect and response times are
 * bounded, and at most `maxResponseBytes` of the answer are read.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, limits: PostLimits): Promise<PostResult> {
  const problem = urlProblem(url, limits.allowed);
  if (problem) return Promise.reject(new RefusedDestination(problem));
  const u = new URL(url);
  const checkedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 4);
      const refusals = addresses.map((a) => refusedAddress(a.address, limits.allowed));
      const usable = addresses.filter((_, i) => refusals[i] === null);
      if (usable.length === 0) return callback(new RefusedDestination(`${hostname} resolves to ${refusals[0]}`), "", 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
  return new Promise<PostResult>((resolve, reject) => {
    const started = Date.now();
    let settled = false;
    const finish = (error: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      if (error) reject(error);
      else resolve(result!);
    };
    const request = (u.protocol === "https:" ? https : http).request(u, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: checkedLookup,
      agent: false, // a fresh connection each time: every send resolves and checks the address again
    });
    const connectTimer = setTimeout(
      () => request.destroy(new Error(`No connection within ${limits.connectTimeoutMs} ms.`)),
      limits.connectTimeoutMs,
    );
    const responseTimer = setTimeout(
      () => request.destroy(new Error(`No complete answer within ${limits.responseTimeoutMs} ms.`)),
      limits.responseTimeoutMs,
    );
    request.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        clearTimeout(connectTimer);
        const why = socket.remoteAddress ? refusedAddress(socket.remoteAddress, limits.allowed) : "an unknown address";
        if (why) request.destroy(new RefusedDestination(`Connected to ${why}.`));
      });
    });
    request.on("error", (error) => finish(error));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, limits.maxResponseBytes).toString("utf8");
        if (status >= 300 && status < 400)
          return finish(
            new Error(`HTTP ${status}: redirects are not followed (Location: ${String(response.headers.location ?? "none")}).`),
          );
        if (status < 200 || status >= 300)
          return finish(new Error(`HTTP ${status} after ${Date.now() - started} ms: ${excerpt.slice(0, 300)}`));
        finish(null, { status, excerpt });
      };
      response.on("data", (chunk: Buffer) => {
        if (size >= limits.maxResponseBytes) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough read: the status is what counts, and a receiver may not make the worker read without end.
        if (size >= limits.maxResponseBytes) {
          response.destroy();
          done();
        }
      });
      response.on("end", done);
      response.on("error", (error) => finish(error));
    });
    request.end(body);
  });
}
