import { isIP } from "node:net";

// Which address a request came from, for the sign-in throttle and the evidence log. Anyone can
// send X-Forwarded-For: only the entries that the operator's own proxies appended are believed.

/** The longest textual IP address (an IPv4-mapped IPv6 address) is 45 characters. */
export const ADDRESS_MAX_LENGTH = 45;
export const UNKNOWN_ADDRESS = "unknown";

/** A bare IPv4 or IPv6 address (a port or IPv6 brackets removed), lower-cased; null when not one. */
export function validAddress(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  let value = raw.trim();
  if (value.length === 0 || value.length > ADDRESS_MAX_LENGTH + 8) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) value = bracketed[1] ?? "";
  else if (/^[\d.]+:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (value.length > ADDRESS_MAX_LENGTH || isIP(value) === 0) return null;
  return value.toLowerCase();
}

/**
 * The client's address: with `trustedHops` = 0 the peer that connected to the portal; with n > 0
 * the n-th X-Forwarded-For entry from the right (the one the outermost trusted proxy saw).
 * Anything that is not an IP address becomes "unknown".
 */
export function clientAddressOf(peer: string | null | undefined, forwardedFor: string | null | undefined, trustedHops: number): string {
  if (trustedHops <= 0) return validAddress(peer) ?? UNKNOWN_ADDRESS;
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than trusted hops: the request bypassed a proxy, so nothing in the header is vouched for.
  if (entries.length < trustedHops) return UNKNOWN_ADDRESS;
  return validAddress(entries[entries.length - trustedHops]) ?? UNKNOWN_ADDRESS;
}
