import "server-only";
import { clientAddressOf } from "@/lib/domain/client-address";
import { env } from "../env";
import { PEER_ADDRESS_HEADER } from "../runtime/peer-address-header";

type HeaderBag = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(",") : value);

/** The client's address from a request's headers, believing X-Forwarded-For only as far as TRUSTED_PROXY_HOPS says. */
export function clientAddress(headerBag: HeaderBag): string {
  return clientAddressOf(one(headerBag[PEER_ADDRESS_HEADER]), one(headerBag["x-forwarded-for"]), env().TRUSTED_PROXY_HOPS);
}
