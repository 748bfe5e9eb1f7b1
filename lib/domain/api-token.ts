import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// An API token: "ccp_" (change-control portal), a 12-character public id that finds its row, "_",
// and 52 characters of secret (256 random bits). Lower-case base32 only, so the whole token is one
// word to a secret scanner: TOKEN_PATTERN below is the regex to give one.

export const TOKEN_PREFIX = "ccp_";
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const PUBLIC_ID_LENGTH = 12; // 60 bits: unique enough to find a row, never a secret.
const SECRET_BYTES = 32;
const SECRET_LENGTH = 52; // ceil(256 / 5)

/** What a secret scanner matches; documented in the README ("API tokens"). */
export const TOKEN_PATTERN = /\bccp_[a-z2-7]{12}_[a-z2-7]{52}\b/;
const WHOLE_TOKEN = /^ccp_([a-z2-7]{12})_([a-z2-7]{52})$/;

/** RFC 4648 base32, lower case, no padding. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export type NewToken = { token: string; publicId: string; secretHash: string };

/** A fresh token and what is stored of it (the public id and the hash, never the token). */
export function newToken(random: (size: number) => Uint8Array = randomBytes): NewToken {
  const publicId = base32(random(8)).slice(0, PUBLIC_ID_LENGTH);
  const secret = base32(random(SECRET_BYTES));
  if (secret.length !== SECRET_LENGTH) throw new Error("The token's secret has the wrong length.");
  const token = `${TOKEN_PREFIX}${publicId}_${secret}`;
  return { token, publicId, secretHash: hashToken(token) };
}

/** The public id of a well-formed token, or null for anything else (no lookup is made for it). */
export function parseToken(text: string): { publicId: string; token: string } | null {
  const match = WHOLE_TOKEN.exec(text);
  return match ? { publicId: match[1]!, token: text } : null;
}

// SHA-256 without a salt or stretching is right here: the input is 256 random bits, not a password.
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether the token hashes to the stored hash, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(token, "utf8").digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** `Authorization: Bearer <token>`: the token, or why the header is not one. */
export function bearerToken(header: string | null): { token: string } | { refusal: "missing" | "malformed" } {
  if (header === null || header.trim() === "") return { refusal: "missing" };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match ? { token: match[1]! } : { refusal: "malformed" };
}
