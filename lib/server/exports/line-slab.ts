import "server-only";

const SLAB_BYTES = 1024 * 1024;

/**
 * The bytes of the lines being written. Writers append to a slab; take() hands over a view of what
 * was written since the last take, so a batch is neither copied nor given a buffer of its own. A
 * writer that fills bytes itself calls reserve(n) first, then writes into `out` from `used`.
 */
export class LineSlab {
  out = Buffer.alloc(0);
  used = 0;
  private from = 0;

  /** Bytes written and not yet taken. */
  get written(): number {
    return this.used - this.from;
  }

  /** What was written since the last take (a view of the slab, never written again). */
  take(): Buffer {
    const lines = this.out.subarray(this.from, this.used);
    this.from = this.used;
    return lines;
  }

  // A full slab is left to the views taken from it; what was written since moves to a new one.
  reserve(n: number): void {
    if (this.used + n <= this.out.length) return;
    const kept = this.used - this.from;
    const slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (kept + n)));
    this.out.copy(slab, 0, this.from, this.used);
    this.out = slab;
    this.from = 0;
    this.used = kept;
  }

  // Most pieces are a dozen bytes: a loop beats a native copy call for those.
  write(src: Buffer, start = 0, end = src.length): void {
    const n = end - start;
    this.reserve(n);
    if (n < 48) {
      const out = this.out;
      let u = this.used;
      for (let i = start; i < end; i++) out[u++] = src[i]!;
      this.used = u;
    } else {
      src.copy(this.out, this.used, start, end);
      this.used += n;
    }
  }

  writeByte(b: number): void {
    this.reserve(1);
    this.out[this.used++] = b;
  }

  writeAscii(text: string): void {
    this.reserve(text.length);
    this.used += this.out.write(text, this.used, "latin1");
  }
}
