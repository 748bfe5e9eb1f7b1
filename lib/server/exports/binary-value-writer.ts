import "server-only";
import type { LineSlab } from "./line-slab";

/**
 * Columns PostgreSQL sends in their own binary form, written as text: a timestamp(tz) as
 * Date.toISOString() writes it, a uuid in its usual hyphenated lowercase form. Formatting a time in
 * SQL (to_char) cost PostgreSQL more than the rest of an audit event's row.
 */
export type BinaryValue = "time" | "uuid";

const HYPHEN = 0x2d;
// Two lowercase hex digits for each byte value, at 2 * byte.
const HEX = Buffer.from(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0")).join(""), "latin1");
// PostgreSQL counts time in microseconds from 2000-01-01 UTC; JavaScript in milliseconds from 1970.
const PG_EPOCH_MS = 946_684_800_000;
const INT64_MAX = 0x7fffffffffffffffn;
const MAX_DATE_MS = 8.64e15;

/** Writes binary times and uuids into a slab, without quotes (the line writer adds them where its format wants them). */
export class BinaryValueWriter {
  // The date part of the last time written ("YYYY-MM-DDT"): rows in time order mostly share it.
  private day = NaN;
  private readonly dayText = Buffer.alloc(11);

  constructor(private readonly slab: LineSlab) {}

  /** The value of `length` bytes at `at`; `column` (from 0) names it in the error a wrong length raises. */
  write(value: BinaryValue, buf: Buffer, at: number, length: number, column: number): void {
    if (value === "time") {
      if (length !== 8) throw new Error(`Column ${column + 1} is not a binary timestamp.`);
      this.writeTime(buf, at, column);
    } else {
      if (length !== 16) throw new Error(`Column ${column + 1} is not a binary uuid.`);
      this.writeUuid(buf, at);
    }
  }

  /**
   * A timestamp as toISOString() writes it (milliseconds; microseconds are dropped, as to_char's MS
   * does). toISOString is slower than the rest of a row: it writes only a new day's date.
   */
  private writeTime(buf: Buffer, at: number, column: number) {
    const slab = this.slab;
    const high = buf.readInt32BE(at);
    let ms: number;
    // Exact as a double within ±285 years of 2000; beyond that, and for ±infinity, in BigInt.
    if (high > -0x200000 && high < 0x200000) ms = Math.floor((high * 0x1_0000_0000 + buf.readUInt32BE(at + 4)) / 1000);
    else {
      const us = buf.readBigInt64BE(at);
      if (us === INT64_MAX || us === -INT64_MAX - 1n) return slab.writeAscii(us > 0n ? "infinity" : "-infinity");
      ms = Number(us / 1000n) - (us % 1000n < 0n ? 1 : 0);
    }
    const time = ms + PG_EPOCH_MS;
    // PostgreSQL's times reach the year 294276; a JavaScript Date stops at ±275760.
    if (!(Math.abs(time) <= MAX_DATE_MS)) throw new Error(`Column ${column + 1} holds a time beyond what a JavaScript Date can write.`);
    const day = Math.floor(time / 86_400_000);
    if (day !== this.day) {
      const iso = new Date(time).toISOString();
      // Years beyond 0-9999 are written "+010000-…": whole, not cached.
      if (iso.length !== 24) return slab.writeAscii(iso);
      this.dayText.write(iso, 0, 11, "latin1");
      this.day = day;
    }
    let rest = time - day * 86_400_000;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    slab.reserve(24);
    const out = slab.out;
    let u = slab.used;
    for (let i = 0; i < 11; i++) out[u++] = this.dayText[i]!;
    out[u++] = 0x30 + Math.floor(hours / 10);
    out[u++] = 0x30 + (hours % 10);
    out[u++] = 0x3a;
    out[u++] = 0x30 + Math.floor(minutes / 10);
    out[u++] = 0x30 + (minutes % 10);
    out[u++] = 0x3a;
    out[u++] = 0x30 + Math.floor(seconds / 10);
    out[u++] = 0x30 + (seconds % 10);
    out[u++] = 0x2e;
    out[u++] = 0x30 + Math.floor(millis / 100);
    out[u++] = 0x30 + (Math.floor(millis / 10) % 10);
    out[u++] = 0x30 + (millis % 10);
    out[u++] = 0x5a;
    slab.used = u;
  }

  private writeUuid(buf: Buffer, at: number) {
    const slab = this.slab;
    slab.reserve(36);
    const out = slab.out;
    let u = slab.used;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out[u++] = HYPHEN;
      const h = 2 * buf[at + i]!;
      out[u++] = HEX[h]!;
      out[u++] = HEX[h + 1]!;
    }
    slab.used = u;
  }
}
