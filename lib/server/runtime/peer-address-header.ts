/** Set by stamp-peer-address.ts from the socket for every request; a client's own value is overwritten. */
export const PEER_ADDRESS_HEADER = "x-portal-peer-address";
