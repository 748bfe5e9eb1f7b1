// PostgreSQL's binary COPY format written by hand, for tests of the readers and writers of
// lib/server/exports: the header, rows of length-prefixed fields, the trailer.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const PG_EPOCH_MS = 946_684_800_000;

export type Field = Buffer | string | null;

/** A row's fields, without its field count: what a RowWriter's writeRow reads. */
export function rowFields(fields: readonly Field[]): Buffer {
  return Buffer.concat(
    fields.flatMap((field) => {
      const length = Buffer.alloc(4);
      if (field === null) {
        length.writeInt32BE(-1);
        return [length];
      }
      const bytes = typeof field === "string" ? Buffer.from(field, "utf8") : field;
      length.writeInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

/** A whole stream: header (with these flags and extension), the rows, and the trailer unless left out. */
export function binaryCopy(
  rows: readonly (readonly Field[])[],
  options: { flags?: number; extension?: Buffer; trailer?: boolean } = {},
): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(options.flags ?? 0, 0);
  header.writeUInt32BE(options.extension?.length ?? 0, 4);
  const count = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  return Buffer.concat([
    SIGNATURE,
    header,
    options.extension ?? Buffer.alloc(0),
    ...rows.flatMap((row) => [count(row.length), rowFields(row)]),
    ...(options.trailer === false ? [] : [count(-1)]),
  ]);
}

/** A big-endian int32, as a field's length is written. */
export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** A timestamp(tz) as PostgreSQL sends it in binary: microseconds since 2000-01-01 UTC. */
export function binaryTime(microsSince1970: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(microsSince1970 - BigInt(PG_EPOCH_MS) * 1000n);
  return b;
}

export const binaryTimeOf = (date: Date) => binaryTime(BigInt(date.getTime()) * 1000n);

/** A uuid as PostgreSQL sends it in binary: its 16 bytes. */
export const binaryUuid = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");

/** Cuts bytes at the given offsets (sorted, within the buffer) into consecutive pieces. */
export function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [0, ...[...offsets].sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i]!, end));
}
