import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/server/db/generated/client";
import { createTestUser, testDb } from "../support/fixtures";

// The application's connections: the Prisma client names its statements (statement-names.ts), so
// a pooled connection parses and plans each one once, and opens with no parallel workers and an
// index probe priced for memory or SSD (connection-options.ts). These check that PostgreSQL really
// keeps the statements, that a statement that failed, or ran in a transaction that rolled back,
// still works afterwards, and that every connection of the pool has the settings.
/** How many statements of this text one connection keeps after running it `runs` times. */
const preparedAfterRuns = (text: string, arg: string, runs: number) =>
  testDb().$transaction(async (tx) => {
    for (let i = 0; i < runs; i++) await tx.$queryRawUnsafe(text, arg);
    const [row] = await tx.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM pg_prepared_statements WHERE statement = ${text}`;
    return row?.count;
  });

describe("the application's connections", () => {
  it("start no parallel workers and price a random page read at 1.1, on every connection of the pool", async () => {
    const settings = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          testDb().$queryRaw<
            { workers: string; page: string }[]
          >`SELECT current_setting('max_parallel_workers_per_gather') AS workers, current_setting('random_page_cost') AS page, pg_sleep(0.05)::text AS slept`,
      ),
    );
    expect(settings.map(([row]) => [row?.workers, row?.page])).toEqual(Array(8).fill(["0", "1.1"]));
  });

  it("are prepared once per connection and reused", async () => {
    expect(await preparedAfterRuns("SELECT id FROM users WHERE email = $1", "nobody@example.test", 3)).toBe(1n);
  });

  it("plan a contains-match (ILIKE) for each text, never keeping it: a generic plan guesses how much a text matches", async () => {
    expect(await preparedAfterRuns("SELECT id FROM users WHERE email ILIKE $1", "%nobody%", 7)).toBe(0n);
  });

  it("still work after failing and after a rollback on the same connections", async () => {
    const user = await createTestUser();
    const insert = (tx: Prisma.TransactionClient | ReturnType<typeof testDb>, email: string) =>
      tx.$executeRaw`INSERT INTO users (email, name, password_hash) VALUES (${email}, 'Twin', 'x')`;
    // A unique violation, many times over, on every connection of the pool.
    for (let i = 0; i < 8; i++) await expect(insert(testDb(), user.email)).rejects.toThrow();
    await expect(
      testDb().$transaction(async (tx) => {
        await insert(tx, `rolled-back-${Date.now()}@example.test`);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const email = `after-${Date.now()}@example.test`;
    for (let i = 0; i < 8; i++) await insert(testDb(), `${i}-${email}`);
    expect(await testDb().user.count({ where: { email: { endsWith: email } } })).toBe(8);
  });
});
