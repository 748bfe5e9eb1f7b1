import "server-only";
import { clientAddress } from "./request-address";

/** What the portal keeps of the request an actor acts through, for its audit events. */
export type RequestMetadata = { clientAddress: string | null; userAgent: string | null };

/** A request's metadata from its headers: a page's or server action's (next/headers), or a route handler's Request. */
export function requestMetadataOf(headers: Headers): RequestMetadata {
  return { clientAddress: clientAddress(Object.fromEntries(headers)), userAgent: headers.get("user-agent") };
}
