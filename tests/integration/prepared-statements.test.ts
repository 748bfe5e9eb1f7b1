import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/server/db/generated/client";
import { createTestUser, testDb } from "../support/fixtures";

// The Prisma client names its statements (lib/server/db/statement-names.ts), so a pooled
// connection parses and plans each one once. These check that PostgreSQL really keeps them, and
// that a statement that failed, or ran in a transaction that rolled back, still works afterwards.
const prepared = (tx: Prisma.TransactionClient, text: string) =>
  tx.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM pg_prepared_statements WHERE statement = ${text}`;

describe("prepared statements", () => {
  it("are prepared once per connection and reused", async () => {
    const text = "SELECT id FROM users WHERE email = $1";
    await testDb().$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.$queryRawUnsafe(text, "nobody@example.test");
      const [row] = await prepared(tx, text);
      expect(row?.count).toBe(1n);
    });
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
