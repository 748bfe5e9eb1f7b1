import { describe, expect, it } from "vitest";
import { CsvLineEnds } from "@/lib/server/exports/csv-line-ends";

const lf = 'seq,reason,after\n1,"two\nlines, and ""quotes""","{""a"":1}"\n2,plain,\n3,"",x\n';
const crlf = 'seq,reason,after\r\n1,"two\nlines, and ""quotes""","{""a"":1}"\r\n2,plain,\r\n3,"",x\r\n';

describe("COPY's CSV line ends made CRLF as the bytes arrive", () => {
  it("converts record ends only, wherever the chunks are cut", () => {
    const bytes = Buffer.from(lf);
    for (let cut = 1; cut < bytes.length; cut++) {
      const ends = new CsvLineEnds();
      const out = Buffer.concat([ends.convert(bytes.subarray(0, cut)), ends.convert(bytes.subarray(cut))]).toString();
      expect(out, `cut at ${cut}`).toBe(crlf);
      expect(ends.records).toBe(4);
    }
  });
});
