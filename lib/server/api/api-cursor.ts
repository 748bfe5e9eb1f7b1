import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { decodeTimeCursor, encodeTimeCursor, type TimeCursor } from "@/lib/domain/search-params";
import { env } from "../env";

// The API's page cursors are opaque and signed: a client can hand one back but not forge or edit
// one, so the only cursors that reach a query are positions the portal wrote itself.

const key = () => createHmac("sha256", env().AUTH_SECRET).update("api-cursor/v1").digest();
const sign = (payload: string) => createHmac("sha256", key()).update(payload).digest().subarray(0, 16);

/** An opaque cursor for the keyset position (time, id): base64url of the position, ".", its MAC. */
export function encodeApiCursor(at: Date, id: string): string {
  const payload = Buffer.from(encodeTimeCursor(at, id)).toString("base64url");
  return `${payload}.${sign(payload).toString("base64url")}`;
}

/** The position an API cursor names, or null if it is not one this portal wrote. */
export function decodeApiCursor(text: string): TimeCursor | null {
  if (text.length > 200) return null;
  const [payload, mac, extra] = text.split(".");
  if (!payload || !mac || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(mac)) return null;
  const given = Buffer.from(mac, "base64url");
  const expected = sign(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return decodeTimeCursor(Buffer.from(payload, "base64url").toString("utf8"));
}

/**
 * An opaque cursor for any other keyset position (a CI's name, an audit seq), bound to its list
 * by `kind`: a cursor of one list is refused by another.
 */
export function encodeKeyCursor(kind: string, key: string): string {
  const payload = Buffer.from(`${kind}:${key}`).toString("base64url");
  return `${payload}.${sign(payload).toString("base64url")}`;
}

/** The key an encodeKeyCursor cursor of `kind` names, or null if it is not one this portal wrote for that list. */
export function decodeKeyCursor(kind: string, text: string): string | null {
  if (text.length > 600) return null;
  const [payload, mac, extra] = text.split(".");
  if (!payload || !mac || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(mac)) return null;
  const given = Buffer.from(mac, "base64url");
  const expected = sign(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const decoded = Buffer.from(payload, "base64url").toString("utf8");
  return decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : null;
}
