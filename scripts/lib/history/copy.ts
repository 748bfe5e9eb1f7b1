// COPY ... FROM STDIN in PostgreSQL's text format: the fastest way to bulk-load rows.
import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** One field in COPY text format: \N for null, backslash escapes for the four special characters. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text =
    typeof value === "string"
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

export function copyLine(values: readonly unknown[]): string {
  return values.map(copyField).join("\t") + "\n";
}

/** A PostgreSQL array literal of simple words (tags): {a,b}. */
export function pgTextArray(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** A long-lived COPY into one table; write() waits when the socket is full, so memory stays flat. */
export class CopyWriter {
  private readonly stream;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(client: pg.Client, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
  }

  async write(values: readonly unknown[]): Promise<void> {
    const line = copyLine(values);
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size >= 1 << 18) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async end(): Promise<void> {
    await this.flush();
    const done = new Promise<void>((resolve, reject) => {
      this.stream.on("finish", resolve);
      this.stream.on("error", reject);
    });
    this.stream.end();
    await done;
  }
}

/** Loads a batch of rows into a table in one COPY. */
export async function copyRows(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const writer = new CopyWriter(client, table, columns);
  for (const row of rows) await writer.write(row);
  await writer.end();
}
