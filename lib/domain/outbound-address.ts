import { isIP } from "node:net";

// Which addresses a webhook may be sent to. An admin could point a subscription at the portal's
// own network (its database, a cloud metadata service): every address that is not a public
// unicast one is refused unless an allow-list of ranges (WEBHOOK_ALLOWED_PRIVATE_RANGES) names it.
// Checked on the address the socket connects to, so a DNS name that resolves (or re-resolves)
// to a private address is refused too.

/** An address as 4 (IPv4) or 16 (IPv6) bytes; null when the text is not an IP address. */
export function addressBytes(text: string): number[] | null {
  const address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const bare = address.split("%")[0]!; // a zone id (fe80::1%eth0) names an interface, not an address
  const family = isIP(bare);
  if (family === 4) return bare.split(".").map(Number);
  if (family !== 6) return null;
  let head = bare;
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted) {
    tail = dotted[1]!.split(".").map(Number);
    head = bare.slice(0, -dotted[1]!.length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const [left, right] = head.includes("::") ? head.split("::") : [head, undefined];
  const words = (part: string | undefined) => (part ? part.split(":").filter((w) => w !== "") : []);
  const l = words(left).map((w) => parseInt(w, 16));
  const r = words(right).map((w) => parseInt(w, 16));
  const missing = 8 - tail.length / 2 - l.length - r.length;
  const all = [...l, ...Array<number>(right === undefined ? 0 : missing).fill(0), ...r];
  const bytes = all.flatMap((w) => [w >> 8, w & 0xff]);
  return [...bytes, ...tail];
}

export type AddressRange = { bytes: number[]; bits: number; why: string };

function range(cidr: string, why: string): AddressRange {
  const [address, bits] = cidr.split("/");
  return { bytes: addressBytes(address!)!, bits: Number(bits), why };
}

function inRange(bytes: number[], r: AddressRange): boolean {
  if (bytes.length !== r.bytes.length) return false;
  for (let bit = 0; bit < r.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3]! & mask) !== (r.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

const V4_REFUSED: AddressRange[] = [
  range("0.0.0.0/8", "this network"),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "shared (carrier-grade NAT)"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "IETF protocol assignments"),
  range("192.0.2.0/24", "documentation"),
  range("192.88.99.0/24", "6to4 relay"),
  range("192.168.0.0/16", "private"),
  range("198.18.0.0/15", "benchmarking"),
  range("198.51.100.0/24", "documentation"),
  range("203.0.113.0/24", "documentation"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved"),
];

const V6_REFUSED: AddressRange[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("100::/64", "discard"),
  range("2001:db8::/32", "documentation"),
  range("fc00::/7", "unique local (private)"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "site-local"),
  range("ff00::/8", "multicast"),
];

// IPv6 forms that carry an IPv4 address, which is what a packet to them finally reaches.
const V4_CARRIERS: { range: AddressRange; at: number }[] = [
  { range: range("::ffff:0:0/96", "IPv4-mapped"), at: 12 },
  { range: range("::/96", "IPv4-compatible"), at: 12 },
  { range: range("64:ff9b::/96", "NAT64"), at: 12 },
  { range: range("64:ff9b:1::/48", "local NAT64"), at: 12 },
  { range: range("2002::/16", "6to4"), at: 2 },
];

/** Why an address is not a public unicast address (private, loopback, link-local, …), or null when it is one. */
export function nonPublicReason(address: string): string | null {
  const bytes = addressBytes(address);
  if (!bytes) return "not an IP address";
  if (bytes.length === 4) return V4_REFUSED.find((r) => inRange(bytes, r))?.why ?? null;
  const fixed = V6_REFUSED.find((r) => inRange(bytes, r));
  if (fixed) return fixed.why;
  const carrier = V4_CARRIERS.find((c) => inRange(bytes, c.range));
  if (carrier) {
    const inner = bytes.slice(carrier.at, carrier.at + 4).join(".");
    const why = nonPublicReason(inner);
    return why ? `${why} (${carrier.range.why} ${inner})` : null;
  }
  return null;
}

/** Parses the allow-list: comma- or space-separated addresses and CIDR ranges. Throws on an entry that is neither. */
export function parseAllowedRanges(text: string | undefined): AddressRange[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const [address, bits] = entry.split("/");
      const bytes = addressBytes(address!);
      const width = bytes ? bytes.length * 8 : 0;
      const n = bits === undefined ? width : Number(bits);
      if (!bytes || !Number.isInteger(n) || n < 0 || n > width || (bits !== undefined && !/^\d+$/.test(bits)))
        throw new Error(`"${entry}" is not an IP address or CIDR range.`);
      return { bytes, bits: n, why: "allowed" };
    });
}

/** Null when the portal may connect to this address, else why not. */
export function refusedAddress(address: string, allowed: readonly AddressRange[]): string | null {
  const why = nonPublicReason(address);
  if (!why) return null;
  const bytes = addressBytes(address);
  const carrier = bytes?.length === 16 ? V4_CARRIERS.find((c) => inRange(bytes, c.range)) : undefined;
  const forms = bytes ? [bytes, ...(carrier ? [bytes.slice(carrier.at, carrier.at + 4)] : [])] : [];
  if (forms.some((form) => allowed.some((r) => inRange(form, r)))) return null;
  return `${address} is ${why === "not an IP address" ? why : `a ${why} address`}, and WEBHOOK_ALLOWED_PRIVATE_RANGES does not name it`;
}
