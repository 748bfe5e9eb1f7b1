import "server-only";
import type { Db } from "./create-prisma-client";
import { db } from "./db";

/** The client a transaction callback receives. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** One transaction per user intent; the audit event is written inside it. */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(work, { maxWait: 10_000, timeout: 20_000 });
}
