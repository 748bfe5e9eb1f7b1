import "server-only";
import { db } from "./db";

/** One trivial round trip: the benchmark's floor page runs it, so the floor includes a query like any real page. */
export async function pingDatabase(): Promise<boolean> {
  const [row] = await db().$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`;
  return row?.ok === 1;
}
