import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { BinaryCopyLines, type LineFormat } from "@/lib/server/exports/binary-copy-lines";

/** The file BinaryCopyLines writes from PostgreSQL's binary COPY `sql`, each chunk cut as `cut` says. */
export async function linesOf(client: pg.Client, sql: string, format: LineFormat, cut: (chunk: Buffer) => Buffer[]) {
  const lines = new BinaryCopyLines(format);
  const parts: Buffer[] = [];
  let count = 0;
  for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) {
    for (const piece of cut(chunk)) {
      count += lines.push(piece);
      parts.push(lines.take());
    }
  }
  lines.finish();
  return { text: Buffer.concat(parts).toString("utf8"), count };
}

export const bytewise = (chunk: Buffer) => [...chunk].map((b) => Buffer.from([b]));
