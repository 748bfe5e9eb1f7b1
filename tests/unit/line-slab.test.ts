import { describe, expect, it } from "vitest";
import { LineSlab } from "@/lib/server/exports/line-slab";

describe("the slab the lines are written into", () => {
  it("hands over views that stay as they were while later lines are written, across several slabs", () => {
    const slab = new LineSlab();
    const views: Buffer[] = [];
    const expected: string[] = [];
    for (let n = 0; n < 60_000; n++) {
      const line = `${n},${"x".repeat(n % 90)}\r\n`;
      // Short pieces, long pieces and single bytes, as the line writers write them.
      slab.write(Buffer.from(line.slice(0, 2)));
      slab.write(Buffer.from(line.slice(2, -2)));
      slab.writeAscii("\r");
      slab.writeByte(0x0a);
      expected.push(line);
      if (n % 777 === 0) {
        expect(slab.written).toBe(Buffer.byteLength(expected.join("")) - views.reduce((s, v) => s + v.length, 0));
        views.push(slab.take());
      }
    }
    views.push(slab.take());
    const file = Buffer.concat(views).toString("latin1");
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(file).toBe(expected.join(""));
    expect(slab.written).toBe(0);
    expect(slab.take().length).toBe(0);
  });

  it("keeps what was not taken yet when it moves to a new slab, and room reserved is room to write", () => {
    const slab = new LineSlab();
    slab.write(Buffer.from("kept"));
    slab.reserve(3 * 1024 * 1024);
    expect(slab.out.length - slab.used).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    slab.out.write("!", slab.used++, "latin1");
    expect(slab.written).toBe(5);
    expect(slab.take().toString()).toBe("kept!");
  });
});
