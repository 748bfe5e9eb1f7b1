import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

// TOTP secrets must be read back to check codes, so they are encrypted, not hashed: AES-256-GCM
// with a key derived from AUTH_SECRET. Recovery codes are only compared, so a keyed hash is kept.

const VERSION = "v1";

function key(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", env().AUTH_SECRET, "change-portal", `second-factor ${purpose} ${VERSION}`, 32));
}

export function encryptTotpSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key("totp"), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

/** The secret, or null when the ciphertext was not made with this AUTH_SECRET (or was tampered with). */
export function decryptTotpSecret(stored: string): string | null {
  const [version, body] = stored.split(".");
  if (version !== VERSION || !body) return null;
  const bytes = Buffer.from(body, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key("totp"), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Recovery codes as people type them: case, spaces and dashes do not matter. */
export const normalisedRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, "");

export function recoveryCodeHash(code: string): string {
  return createHmac("sha256", key("recovery")).update(normalisedRecoveryCode(code)).digest("hex");
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Ten characters from a 32-letter alphabet (50 bits), shown as XXXXX-XXXXX. */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
